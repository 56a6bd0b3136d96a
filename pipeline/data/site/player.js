// Chapter and transcript buttons seek the player; the cue being spoken is highlighted
// (class "current", aria-current) and kept in view while it plays. No other resources.
(function () {
  "use strict";
  var audio = document.getElementById("player");
  if (!audio) { return; }
  function items(selector) {
    return Array.prototype.slice.call(document.querySelectorAll(selector)).map(function (el) {
      return { el: el, start: parseFloat(el.dataset.start), end: parseFloat(el.dataset.end) };
    });
  }
  var cues = items("[data-cue]");
  var chapters = items("[data-chapter]");
  var shown = { cue: null, chapter: null };

  // The last item starting at or before t (items are in time order). A cue stays lit through
  // the pause after it, but not through a long stretch without speech (music, a chapter gap).
  function at(list, t, untilEnd) {
    var lo = 0, hi = list.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid].start <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    if (found < 0 || (untilEnd && t >= list[found].end + 2.0)) { return null; }
    return list[found];
  }
  function mark(kind, item) {
    if (shown[kind] === item) { return; }
    if (shown[kind]) { shown[kind].el.classList.remove("current"); shown[kind].el.removeAttribute("aria-current"); }
    if (item) {
      item.el.classList.add("current");
      item.el.setAttribute("aria-current", kind === "cue" ? "true" : "location");
      if (kind === "cue" && !audio.paused && item.el.scrollIntoView) { item.el.scrollIntoView({ block: "nearest" }); }
    }
    shown[kind] = item;
  }
  // A cue is lit only inside the chapter being played: just after a seek to a chapter's start
  // (which may come before its first word) the last cue of the chapter before is not.
  function update() {
    var t = audio.currentTime;
    var chapter = at(chapters, t, false), cue = at(cues, t, true);
    if (cue && chapter && cue.start < chapter.start - 0.001) { cue = null; }
    mark("cue", cue);
    mark("chapter", chapter);
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-seek]"), function (button) {
    button.addEventListener("click", function () {
      audio.currentTime = parseFloat(button.dataset.seek);
      update();
      var playing = audio.play();
      if (playing && playing.catch) { playing.catch(function () {}); }  // autoplay may be refused: the seek stands
    });
  });
  ["timeupdate", "seeked", "loadedmetadata"].forEach(function (name) { audio.addEventListener(name, update); });
  update();
}());
