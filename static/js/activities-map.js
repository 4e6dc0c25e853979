// The optional map beside "Activiteiten in de buurt". The list works without it; this only
// runs when the page has a #kaart element (MAP_TILES_URL is set). Markers are the PC4 centres
// of the activities in the list, never anyone's address.
(function () {
  "use strict";
  var box = document.getElementById("kaart");
  if (!box || !window.L) { return; }
  var items = document.querySelectorAll("[data-kaart-lat]");
  L.Icon.Default.imagePath = box.getAttribute("data-images");
  var map = L.map(box, {scrollWheelZoom: false});
  L.tileLayer(box.getAttribute("data-tiles"), {
    maxZoom: 18, attribution: box.getAttribute("data-attribution") || ""
  }).addTo(map);
  var bounds = [];
  items.forEach(function (item) {
    var point = [parseFloat(item.getAttribute("data-kaart-lat")),
                 parseFloat(item.getAttribute("data-kaart-lon"))];
    var link = document.createElement("a");
    link.href = item.getAttribute("data-kaart-url");
    link.textContent = item.getAttribute("data-kaart-title");
    L.marker(point, {title: link.textContent, alt: link.textContent})
      .bindPopup(link).addTo(map);
    bounds.push(point);
  });
  if (bounds.length) {
    map.fitBounds(bounds, {padding: [30, 30], maxZoom: 14});
  } else {
    map.setView([parseFloat(box.getAttribute("data-lat")),
                 parseFloat(box.getAttribute("data-lon"))], 12);
  }
  box.hidden = false;
}());
