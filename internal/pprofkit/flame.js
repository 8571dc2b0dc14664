// Interactive flame graph: click a frame to zoom into it (its callers stay
// as a faded path, its callees fill the width), "Reset zoom" or Escape to undo;
// "Search" or the / key highlights the frames whose name matches a regular
// expression and prints their share. Written for the SVG that
// internal/profiling draws; no network, no library.
(function () {
  'use strict';
  var script = document.currentScript;
  var svg = (script && script.closest('svg')) || document.documentElement;
  var highlight = svg.getAttribute('data-highlight') || 'rgb(230,0,230)';
  var charWidth = 6.6;
  var eps = 0.01;
  var resetControl = svg.querySelector('.reset');
  var searchControl = svg.querySelector('.search');
  var matchedText = svg.querySelector('.matched');
  var searching = false;

  function num(el, key) { return parseFloat(el.getAttribute('data-' + key)); }
  function panels() { return Array.prototype.slice.call(svg.querySelectorAll('g.panel')); }
  function frames(panel) { return Array.prototype.slice.call(panel.querySelectorAll('g.f')); }

  // nameOf reads a frame's full name from its tooltip, "NAME (numbers)".
  function nameOf(g) {
    var t = g.querySelector('title').textContent;
    var i = t.lastIndexOf(' (');
    return i < 0 ? t : t.slice(0, i);
  }

  // shortName is ShortName of internal/profiling/analyze.go.
  function shortName(name) {
    var prefix = name;
    var i = name.search(/[(\[]/);
    if (i >= 0) prefix = name.slice(0, i);
    var slash = prefix.lastIndexOf('/');
    if (slash < 0 || prefix.split('/')[0].indexOf('.') < 0) return name;
    return name.slice(slash + 1);
  }

  // clip is clip of internal/profiling/flamegraph.go.
  function clip(label, w) {
    var r = Array.from(label);
    var fit = Math.floor((w - 6) / charWidth);
    if (fit < 4) return '';
    if (r.length <= fit) return label;
    return r.slice(0, fit - 2).join('') + '..';
  }

  function place(g, x, w) {
    var r = g.querySelector('rect');
    r.setAttribute('x', x.toFixed(2));
    r.setAttribute('width', w.toFixed(2));
    var t = g.querySelector('text');
    if (t) {
      t.setAttribute('x', (x + 3).toFixed(2));
      t.textContent = clip(shortName(nameOf(g)), w);
    }
    g.removeAttribute('display');
    g.classList.remove('caller');
  }

  function unzoom(panel) {
    frames(panel).forEach(function (g) { place(g, num(g, 'x'), num(g, 'w')); });
  }

  function zoom(node) {
    var panel = node.closest('g.panel');
    var x0 = num(panel, 'x'), width = num(panel, 'w');
    var nx = num(node, 'x'), nw = num(node, 'w'), nl = num(node, 'l');
    panels().forEach(function (p) { if (p !== panel) unzoom(p); });
    frames(panel).forEach(function (g) {
      var x = num(g, 'x'), w = num(g, 'w'), l = num(g, 'l');
      if (l <= nl && x <= nx + eps && x + w >= nx + nw - eps) {
        place(g, x0, width);
        if (l < nl) g.classList.add('caller');
      } else if (l > nl && x >= nx - eps && x + w <= nx + nw + eps) {
        place(g, x0 + (x - nx) * width / nw, w * width / nw);
      } else {
        g.setAttribute('display', 'none');
      }
    });
    resetControl.removeAttribute('display');
    svg.classList.add('zoomed');
  }

  function reset() {
    panels().forEach(unzoom);
    resetControl.setAttribute('display', 'none');
    svg.classList.remove('zoomed');
  }

  // covered is the length of the union of the intervals, so that nested
  // matches (a function and its recursive calls) count once.
  function covered(intervals) {
    intervals.sort(function (a, b) { return a[0] - b[0]; });
    var total = 0, end = -Infinity;
    intervals.forEach(function (iv) {
      if (iv[1] <= end) return;
      total += iv[1] - Math.max(iv[0], end);
      end = iv[1];
    });
    return total;
  }

  function clearSearch() {
    Array.prototype.forEach.call(svg.querySelectorAll('g.f.match'), function (g) {
      var r = g.querySelector('rect');
      r.setAttribute('fill', r.getAttribute('data-fill'));
      r.removeAttribute('data-fill');
      g.classList.remove('match');
    });
    matchedText.textContent = '';
    searchControl.textContent = 'Search';
    searching = false;
  }

  function search(term) {
    clearSearch();
    if (!term) return;
    var re = null;
    try { re = new RegExp(term); } catch (e) { re = null; }
    var matches = re ? function (s) { return re.test(s); } : function (s) { return s.indexOf(term) >= 0; };
    var parts = [];
    panels().forEach(function (panel, i) {
      var intervals = [];
      frames(panel).forEach(function (g) {
        if (!matches(nameOf(g))) return;
        var r = g.querySelector('rect');
        r.setAttribute('data-fill', r.getAttribute('fill'));
        r.setAttribute('fill', highlight);
        g.classList.add('match');
        intervals.push([num(g, 'x'), num(g, 'x') + num(g, 'w')]);
      });
      var share = 100 * covered(intervals) / num(panel, 'w');
      if (i === 0 || share > 0) parts.push(share.toFixed(1) + '% ' + panel.getAttribute('data-of'));
    });
    matchedText.textContent = 'matched /' + term + '/: ' + parts.join('; ');
    searchControl.textContent = 'Clear search';
    searching = true;
  }

  function ask() {
    search(window.prompt('Search frames (regular expression):', ''));
  }

  svg.addEventListener('click', function (e) {
    var t = e.target;
    var g = t.closest('g.f');
    if (g) zoom(g);
    else if (t.closest('.reset')) reset();
    else if (t.closest('.search')) { if (searching) clearSearch(); else ask(); }
  });
  if (svg === document.documentElement) {
    document.addEventListener('keydown', function (e) {
      if (e.key === '/') { e.preventDefault(); ask(); }
      else if (e.key === 'Escape') { reset(); clearSearch(); }
    });
  }
})();
