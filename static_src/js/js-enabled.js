// Loaded at the top of <body>: marks the page as having JavaScript before anything is drawn, so
// GOV.UK Frontend components can style themselves. An external file because the Content Security
// Policy forbids inline scripts.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
