// Triads on the share-your-story form: a triangle the teller can tap or move with the arrow keys.
//
// Progressive enhancement: without this script the teller types three numbers (the server works out the
// shares). With it, each [data-cw-triad] also gets a triangle; a tap or an arrow key sets the three
// numbers, and typing numbers moves the dot. The numbers stay the source of truth for the form.

const SVG = "http://www.w3.org/2000/svg";
const SIZE = 100;
const HEIGHT = 86.6;
const CORNERS = [
  [SIZE / 2, 0],
  [0, HEIGHT],
  [SIZE, HEIGHT],
];
const STEP = 4;

function element(name, attributes = {}) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

// Shares (three numbers adding up to 100) for a point, clamped into the triangle.
export function sharesAt(x, y) {
  const [[ax, ay], [bx, by], [cx, cy]] = CORNERS;
  const det = (by - cy) * (ax - cx) + (cx - bx) * (ay - cy);
  let a = ((by - cy) * (x - cx) + (cx - bx) * (y - cy)) / det;
  let b = ((cy - ay) * (x - cx) + (ax - cx) * (y - cy)) / det;
  let c = 1 - a - b;
  [a, b, c] = [a, b, c].map((value) => Math.max(0, value));
  const total = a + b + c || 1;
  const exact = [a, b, c].map((value) => (value * 100) / total);
  const shares = exact.map(Math.floor);
  const order = [0, 1, 2].sort((i, j) => exact[j] - shares[j] - (exact[i] - shares[i]));
  for (let k = 0; k < 100 - shares.reduce((s, v) => s + v, 0); k += 1) shares[order[k]] += 1;
  return shares;
}

export function pointOf(shares) {
  const total = shares.reduce((s, v) => s + v, 0);
  if (!total) return null;
  const [a, b, c] = shares.map((value) => value / total);
  return [
    a * CORNERS[0][0] + b * CORNERS[1][0] + c * CORNERS[2][0],
    a * CORNERS[0][1] + b * CORNERS[1][1] + c * CORNERS[2][1],
  ];
}

function enhance(container) {
  const inputs = [...container.querySelectorAll("[data-cw-triad-value]")];
  if (inputs.length !== 3) return;
  const poles = (container.dataset.poles || "").split("|");
  const describe = document.createElement("p");
  describe.className = "govuk-body-s cw-triad__readout";
  describe.id = `${inputs[0].id}-readout`;
  describe.setAttribute("aria-live", "polite");

  const svg = element("svg", { viewBox: "-16 -14 132 118", class: "cw-triad__svg", tabindex: 0, role: "group" });
  svg.setAttribute(
    "aria-label",
    `Triangle of ${poles.join(", ")}. Tap a point, or use the arrow keys to move it. The numbers below change with it.`,
  );
  svg.setAttribute("aria-describedby", describe.id);
  svg.append(element("polygon", { points: CORNERS.map((p) => p.join(",")).join(" "), class: "cw-triad__triangle" }));
  const labelPlaces = [
    [SIZE / 2, -4, "middle"],
    [0, HEIGHT + 10, "start"],
    [SIZE, HEIGHT + 10, "end"],
  ];
  poles.forEach((pole, index) => {
    const [x, y, anchor] = labelPlaces[index];
    const text = element("text", { x, y, "text-anchor": anchor, class: "cw-triad__label" });
    text.textContent = pole;
    svg.append(text);
  });
  const dot = element("circle", { r: 4, class: "cw-triad__dot", cx: SIZE / 2, cy: HEIGHT * 0.66 });
  svg.append(dot);
  container.prepend(describe);
  container.prepend(svg);

  let point = null;

  function show(shares) {
    point = pointOf(shares);
    dot.classList.toggle("cw-triad__dot--empty", point === null);
    if (point) {
      dot.setAttribute("cx", point[0].toFixed(2));
      dot.setAttribute("cy", point[1].toFixed(2));
      describe.textContent = poles.map((pole, i) => `${pole}: ${shares[i]}%`).join(", ");
    } else {
      describe.textContent = "No point chosen yet.";
    }
  }

  function fromInputs() {
    const values = inputs.map((input) => Math.max(0, Number.parseInt(input.value, 10) || 0));
    show(values);
  }

  function setPoint(x, y) {
    const shares = sharesAt(x, y);
    inputs.forEach((input, i) => {
      input.value = String(shares[i]);
    });
    inputs[0].dispatchEvent(new Event("input", { bubbles: true }));
    show(shares);
  }

  svg.addEventListener("click", (event) => {
    const matrix = svg.getScreenCTM();
    if (!matrix) return;
    const place = new DOMPoint(event.clientX, event.clientY).matrixTransform(matrix.inverse());
    setPoint(place.x, place.y);
  });
  svg.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    const [x, y] = point || [SIZE / 2, HEIGHT * 0.66];
    setPoint(x + move[0], y + move[1]);
  });
  inputs.forEach((input) => input.addEventListener("input", fromInputs));
  fromInputs();
}

document.querySelectorAll("[data-cw-triad]").forEach(enhance);
