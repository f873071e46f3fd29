// Leaflet maps for pages that include templates/components/map.html.
//
// Each element with data-cw-map reads a GeoJSON FeatureCollection from the json_script element named
// in data-geojson and draws a circle per point feature (or a lettered badge when the feature has a
// "symbol"), with a pop-up linking to the feature's page.
// Background tiles come from data-tile-url (COMMONWEAL_MAP_TILE_URL); without one the points are drawn
// on a plain background. Leaflet itself is loaded as a classic script (window.L) before this module.

const DEFAULT_CENTRE = [51.49, 0.35]; // the demo borough, used when there are no points
const DEFAULT_ZOOM = 12;
const CLUSTER_FROM = 40;

function popupContent(properties) {
  const box = document.createElement("div");
  const title = document.createElement(properties.url ? "a" : "strong");
  title.textContent = properties.name || "Unnamed place";
  if (properties.url) {
    title.href = properties.url;
    title.className = "govuk-link";
  }
  box.append(title);
  if (properties.summary) {
    const text = document.createElement("p");
    text.className = "govuk-body-s govuk-!-margin-0";
    text.textContent = properties.summary;
    box.append(text);
  }
  return box;
}

// A marker showing a letter (feature property "symbol") on its colour, so that the kinds of point
// can be told apart without seeing colour: the letters are explained in the page's legend. Styles
// are set through the DOM (never a style attribute), as the Content Security Policy requires.
function symbolMarker(L, latlng, properties) {
  const badge = document.createElement("span");
  badge.className = "cw-map__symbol";
  badge.textContent = properties.symbol;
  Object.assign(badge.style, {
    display: "flex",
    alignItems: "center",
    justifyContent: "center",
    width: "22px",
    height: "22px",
    borderRadius: "50%",
    border: "2px solid #0b0c0c",
    background: properties.colour || "#1d70b8",
    color: "#ffffff",
    font: "bold 13px/1 system-ui, sans-serif",
  });
  const icon = L.divIcon({ html: badge, className: "", iconSize: [26, 26], iconAnchor: [13, 13] });
  return L.marker(latlng, { icon, title: properties.name || "", alt: properties.name || "" });
}

export function drawMap(element) {
  const L = window.L;
  const source = document.getElementById(element.dataset.geojson || "");
  if (!L || !source) return null;
  let data;
  try {
    data = JSON.parse(source.textContent);
  } catch {
    return null;
  }
  const map = L.map(element, { scrollWheelZoom: false, keyboard: true, maxZoom: 19 });
  if (element.dataset.tileUrl) {
    L.tileLayer(element.dataset.tileUrl, {
      maxZoom: 19,
      attribution: element.dataset.attribution || "",
    }).addTo(map);
  }
  const layer = L.geoJSON(data, {
    pointToLayer: (feature, latlng) => {
      const properties = feature.properties || {};
      if (properties.symbol) return symbolMarker(L, latlng, properties);
      return L.circleMarker(latlng, {
        radius: 8,
        weight: 2,
        color: "#0b0c0c",
        fillColor: properties.colour || "#1d70b8",
        fillOpacity: 0.85,
      });
    },
    onEachFeature: (feature, marker) => marker.bindPopup(popupContent(feature.properties || {})),
  });
  const count = layer.getLayers().length;
  if (count > CLUSTER_FROM && typeof L.markerClusterGroup === "function") {
    const groups = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    groups.addLayer(layer);
    groups.addTo(map);
    element.dataset.cwMapClustered = "true";
  } else {
    layer.addTo(map);
  }
  const bounds = layer.getBounds();
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
  } else {
    map.setView(DEFAULT_CENTRE, DEFAULT_ZOOM);
  }
  element.cwMap = map;
  element.dataset.cwMapReady = String(count);
  return map;
}

for (const element of document.querySelectorAll("[data-cw-map]")) {
  drawMap(element);
}
