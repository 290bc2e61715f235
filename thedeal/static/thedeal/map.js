// The map of search results: an enhancement over the list, which holds every result.
// Needs Leaflet (loaded before this file) and a tile server (the element's data-tiles).
// Drawn on load, and again when htmx replaces the results with new ones.
let map = null;

function drawMap() {
  const element = document.getElementById("results-map");
  const data = document.getElementById("map-points");
  if (map) {
    map.remove();
    map = null;
  }
  if (!element || !data || !window.L || !element.dataset.tiles) {
    return;
  }
  const points = JSON.parse(data.textContent);
  map = window.L.map(element, { scrollWheelZoom: false });
  window.L.tileLayer(element.dataset.tiles, {
    attribution: element.dataset.attribution,
    maxZoom: 18,
  }).addTo(map);
  const markers = points.map((point) => {
    const marker = window.L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
    const link = document.createElement("a");
    link.href = point.url;
    link.textContent = point.name;
    link.className = "govuk-link";
    marker.bindPopup(link);
    return marker.addTo(map);
  });
  if (markers.length) {
    map.fitBounds(window.L.featureGroup(markers).getBounds().pad(0.2));
  }
}

drawMap();
document.body.addEventListener("htmx:afterSettle", drawMap);
