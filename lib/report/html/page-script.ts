/**
 * The HTML report's script, inlined in the page: it reads the report's data (the JSON in
 * `<script type="application/json" id="report-data">`, see `ReportData`) and builds the page
 * from it, lazily, so that a run of 5,000 tests and 100,000 attempts opens at once:
 *
 * - the test list is virtual: only the rows in view exist (30 px each), rebuilt on scroll;
 * - a test's steps are built when it is selected, and a step's body (timeline, attempts,
 *   request and response, checks, saved values, logs) when it is opened;
 * - the overview (tests as bars on one time axis, in lanes: as many as ran at once) is built
 *   once, one element per test that started.
 *
 * Every text from the data is set with `textContent` (never parsed as HTML). Plain ES2019 with
 * no template literals (this file is one), checked by the browser spec in a real Chromium.
 *
 * A function, not a constant: a run that writes no HTML report never evaluates the text, and
 * V8's code cache of the CLI (taken after a run that writes none) does not carry it (a tagged
 * template keeps its raw and its cooked text; the cooked one, with its `\u203a` escapes
 * resolved, two bytes a character).
 */
export function pageScript(): string {
  return String.raw`
(function () {
  'use strict';
  // Marks for the benchmark (performance.getEntriesByType('mark')): data parsed, overview drawn, ready.
  var data = JSON.parse(document.getElementById('report-data').textContent);
  performance.mark('report-data-parsed');
  var STR = data.strings;
  var ROW_H = 30;
  var KIND_CLASS = ['held', 'not-yet', 'transport', 'failed'];
  var KIND_TEXT = ['conditions held', 'not yet', 'transport error', 'failed'];
  var FILTERS = ['all', 'failed', 'errored', 'passed', 'skipped', 'interrupted'];
  var PHASES = { suite_init: 'suite init', init: 'init', steps: '', cleanup_on_failure: 'cleanup on failure', cleanup_always: 'cleanup', suite_cleanup_on_failure: 'suite cleanup on failure', suite_cleanup_always: 'suite cleanup' };

  // ---- helpers -------------------------------------------------------------------------------
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function add(parent) {
    for (var i = 1; i < arguments.length; i++) if (arguments[i]) parent.appendChild(arguments[i]);
    return parent;
  }
  var SVG = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function fmtMs(ms) {
    if (ms === null || ms === undefined || ms < 0) return '';
    if (ms < 1) return (Math.round(ms * 100) / 100) + 'ms';
    if (ms < 1000) return Math.round(ms) + 'ms';
    if (ms < 10000) return (Math.round(ms / 10) / 100) + 's';
    if (ms < 60000) return (Math.round(ms / 100) / 10) + 's';
    var m = Math.floor(ms / 60000), s = Math.round((ms % 60000) / 1000);
    if (s === 60) { m += 1; s = 0; }
    if (m < 60) return m + 'm' + (s < 10 ? '0' : '') + s + 's';
    return Math.floor(m / 60) + 'h' + (m % 60 < 10 ? '0' : '') + (m % 60) + 'm';
  }
  function at(ms) { return ms === null || ms === undefined ? '' : '+' + fmtMs(ms); }
  var parsed = {};
  function value(id) {
    if (id < 0) return undefined;
    if (!Object.prototype.hasOwnProperty.call(parsed, id)) {
      try { parsed[id] = JSON.parse(STR[id]); } catch (e) { parsed[id] = STR[id]; }
    }
    return parsed[id];
  }
  function show(v) {
    if (v === undefined) return '(nothing)';
    try { return JSON.stringify(v); } catch (e) { return String(v); }
  }
  function prettyBody(text) {
    var t = String(text);
    var trimmed = t.trim();
    if (trimmed.charAt(0) === '{' || trimmed.charAt(0) === '[') {
      try { return JSON.stringify(JSON.parse(trimmed), null, 2); } catch (e) { /* an excerpt, or not JSON */ }
    }
    return t;
  }
  function plural(n, word) { return n + ' ' + word + (n === 1 ? '' : 's'); }
  function statusBadge(status) { return el('span', 'badge s-' + status, status); }

  // ---- model ---------------------------------------------------------------------------------
  var tests = [];
  data.suites.forEach(function (suite, si) {
    suite.tests.forEach(function (test, ti) {
      tests.push({ kind: 'test', id: si + '-' + ti, suite: suite, si: si, test: test, key: (suite.name + '\u0000' + test.name).toLowerCase(), nameKey: test.name.toLowerCase() });
    });
  });
  var suiteItems = data.suites.map(function (suite, si) { return { kind: 'suite', id: 's' + si, suite: suite, si: si }; });
  var state = { status: 'all', query: '', selected: null, rows: [] };

  // ---- header --------------------------------------------------------------------------------
  var root = document.getElementById('app');
  var header = add(el('div', 'header'), el('h1', '', 'Rocketship report'));
  var metaParts = [];
  // A run in virtual time (specs) starts near 1970: no date is better than that one.
  if (data.startedAt && Date.parse(data.startedAt) > Date.UTC(2000, 0, 1)) metaParts.push(new Date(data.startedAt).toLocaleString());
  metaParts.push(plural(data.suites.length, 'suite'));
  metaParts.push(plural(data.summary.total, 'test'));
  metaParts.push('took ' + (fmtMs(data.durationMs) || '0ms'));
  metaParts.push('rocketship-rx ' + data.version);
  add(header, el('span', 'meta', metaParts.join(' \u00b7 ')));
  add(root, header);

  if (data.errors.length > 0) {
    var box = add(el('div', 'errors'), el('strong', '', data.summary.started ? 'The run stopped on an error' : 'Nothing ran'));
    data.errors.forEach(function (e) {
      var where = e.file ? e.file + (e.line ? ':' + e.line + ':' + (e.col || 1) : '') + ': ' : '';
      add(box, el('pre', 'run-error', e.details || (where + e.message)));
    });
    add(root, box);
  }

  // ---- filters and search --------------------------------------------------------------------
  var toolbar = el('div', 'toolbar');
  var filterButtons = {};
  FILTERS.forEach(function (f) {
    var n = f === 'all' ? data.summary.total : data.summary[f];
    var b = el('button', 'filter' + (n === 0 && f !== 'all' ? ' empty' : '') + (f === 'all' ? ' active' : ''));
    b.type = 'button';
    b.setAttribute('data-status', f);
    if (f !== 'all') add(b, el('span', 'dot s-' + f));
    add(b, el('span', 'label', f === 'all' ? 'All' : f.charAt(0).toUpperCase() + f.slice(1)), el('span', 'n', n));
    b.addEventListener('click', function () { setFilter(f); });
    filterButtons[f] = b;
    add(toolbar, b);
  });
  var search = el('input');
  search.id = 'search';
  search.type = 'search';
  search.placeholder = 'Search tests by name';
  search.setAttribute('aria-label', 'Search tests by name');
  search.addEventListener('input', function () { state.query = search.value.trim().toLowerCase(); refresh(); });
  add(toolbar, search);
  add(root, toolbar);

  // ---- overview: tests as bars on one time axis ----------------------------------------------
  var span = Math.max(1, data.durationMs);
  var ganttBars = {};
  var ran = tests.filter(function (t) { return t.test.start !== null; });
  if (ran.length > 0) {
    var gantt = el('div', 'gantt');
    gantt.id = 'gantt';
    var sorted = ran.slice().sort(function (a, b) { return a.test.start - b.test.start; });
    var laneEnds = [];
    var lanes = {};
    sorted.forEach(function (t) {
      var end = t.test.end === null ? data.durationMs : t.test.end;
      var lane = -1;
      for (var i = 0; i < laneEnds.length; i++) if (laneEnds[i] <= t.test.start) { lane = i; break; }
      if (lane < 0) { lane = laneEnds.length; laneEnds.push(end); } else laneEnds[lane] = end;
      lanes[t.id] = lane;
    });
    var laneH = Math.max(2, Math.min(14, Math.floor(220 / laneEnds.length)));
    var title = el('div', 'gantt-title');
    add(title, el('strong', '', 'Run timeline'), el('span', '', plural(ran.length, 'test') + ' as bars on one time axis; at most ' + laneEnds.length + ' at once'));
    var lanesBox = el('div', 'gantt-lanes');
    lanesBox.style.height = laneEnds.length * laneH + 'px';
    gantt.setAttribute('data-lanes', String(laneEnds.length));
    sorted.forEach(function (t) {
      var end = t.test.end === null ? data.durationMs : t.test.end;
      var bar = el('div', 'gantt-bar s-' + t.test.status);
      bar.style.left = (100 * t.test.start / span) + '%';
      bar.style.width = (100 * Math.max(0, end - t.test.start) / span) + '%';
      bar.style.top = lanes[t.id] * laneH + 'px';
      bar.style.height = Math.max(1, laneH - 1) + 'px';
      bar.title = t.suite.name + ' \u203a ' + t.test.name + ' \u00b7 ' + t.test.status + ' \u00b7 ' + fmtMs(end - t.test.start) + ' \u00b7 from ' + at(t.test.start);
      bar.setAttribute('data-test', t.id);
      ganttBars[t.id] = bar;
      add(lanesBox, bar);
    });
    lanesBox.addEventListener('click', function (ev) {
      var id = ev.target && ev.target.getAttribute && ev.target.getAttribute('data-test');
      var item = id && tests.find(function (t) { return t.id === id; });
      if (item) select(item, true);
    });
    add(gantt, title, lanesBox, axis(span));
    add(root, gantt);
  }
  performance.mark('report-overview-drawn');

  function ticks(from, to, count) {
    var range = Math.max(1e-9, to - from);
    var raw = range / count;
    var pow = Math.pow(10, Math.floor(Math.log10(raw)));
    var step = [1, 2, 5, 10].map(function (m) { return m * pow; }).find(function (s) { return s >= raw; }) || 10 * pow;
    var out = [];
    for (var v = Math.ceil(from / step) * step; v <= to + 1e-9; v += step) out.push(v);
    return out;
  }
  function axis(total) {
    var box = el('div', 'axis');
    ticks(0, total, 8).forEach(function (v) {
      var label = el('span', '', v === 0 ? '0' : fmtMs(v));
      label.style.left = (100 * v / total) + '%';
      add(box, label);
    });
    return box;
  }

  // ---- main: the list and the detail ---------------------------------------------------------
  var main = el('div', 'main');
  var listPane = el('div', 'list-pane');
  var listCount = el('div', 'list-count');
  listCount.id = 'list-count';
  var list = el('div');
  list.id = 'list';
  list.tabIndex = 0;
  var inner = el('div', 'list-inner');
  add(list, inner);
  add(listPane, listCount, list);
  var detail = el('div', 'detail');
  detail.id = 'detail';
  add(main, listPane, detail);
  add(root, main);

  function matches(item) {
    var t = item.test;
    if (state.status !== 'all' && t.status !== state.status && !(state.status === 'interrupted' && t.status === 'running')) return false;
    return state.query === '' || item.key.indexOf(state.query) >= 0;
  }
  function refresh() {
    var rows = [];
    var shown = 0;
    var bySuite = {};
    tests.forEach(function (t) {
      var ok = matches(t);
      if (ganttBars[t.id]) ganttBars[t.id].classList.toggle('dim', !ok);
      if (!ok) return;
      shown += 1;
      (bySuite[t.si] = bySuite[t.si] || []).push(t);
    });
    suiteItems.forEach(function (s) {
      var mine = bySuite[s.si];
      var everything = state.status === 'all' && state.query === '';
      if (!mine && !everything) return;
      rows.push(s);
      if (mine) rows.push.apply(rows, mine);
    });
    state.rows = rows;
    listCount.textContent = (shown === tests.length ? plural(shown, 'test') : shown + ' of ' + plural(tests.length, 'test')) + (state.query ? ' matching \u201c' + search.value.trim() + '\u201d' : '');
    inner.style.height = rows.length * ROW_H + 'px';
    if (rows.length === 0) {
      inner.textContent = '';
      add(inner, el('div', 'empty-state', 'No test matches.'));
    }
    renderRows(true);
  }
  function setFilter(f) {
    state.status = f;
    FILTERS.forEach(function (g) { filterButtons[g].classList.toggle('active', g === f); });
    refresh();
  }

  var drawn = { first: -1, last: -1 };
  function renderRows(force) {
    if (state.rows.length === 0) { drawn = { first: -1, last: -1 }; return; }
    var top = list.scrollTop, height = list.clientHeight || 600;
    var first = Math.max(0, Math.floor(top / ROW_H) - 8);
    var last = Math.min(state.rows.length, Math.ceil((top + height) / ROW_H) + 8);
    if (!force && first === drawn.first && last === drawn.last) return;
    drawn = { first: first, last: last };
    inner.textContent = '';
    for (var i = first; i < last; i++) add(inner, rowElement(state.rows[i], i));
  }
  var pending = false;
  list.addEventListener('scroll', function () {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () { pending = false; renderRows(false); });
  });
  window.addEventListener('resize', function () { renderRows(true); });
  list.addEventListener('keydown', function (ev) {
    if (ev.key !== 'ArrowDown' && ev.key !== 'ArrowUp') return;
    ev.preventDefault();
    var i = state.rows.indexOf(state.selected);
    var next = state.rows[Math.max(0, Math.min(state.rows.length - 1, i + (ev.key === 'ArrowDown' ? 1 : -1)))];
    if (next) select(next, true);
  });

  function rowElement(item, i) {
    var row = el('div', 'row ' + (item.kind === 'suite' ? 'suite-row' : 'test-row') + (state.selected === item ? ' selected' : ''));
    row.style.top = i * ROW_H + 'px';
    row.setAttribute('data-id', item.id);
    if (item.kind === 'suite') {
      var s = item.suite;
      row.title = s.name + ' \u00b7 ' + s.file;
      add(row, el('span', 'dot s-' + s.status), el('span', 'name', s.name), el('span', 'dur', plural(s.tests.length, 'test')));
    } else {
      var t = item.test;
      row.setAttribute('data-status', t.status);
      row.title = item.suite.name + ' \u203a ' + t.name;
      var track = el('span', 'track');
      if (t.start !== null) {
        var bar = el('span', 'bar s-' + t.status);
        var end = t.end === null ? data.durationMs : t.end;
        bar.style.left = (100 * t.start / span) + '%';
        bar.style.width = (100 * Math.max(0, end - t.start) / span) + '%';
        add(track, bar);
      }
      add(row, el('span', 'dot s-' + t.status), el('span', 'name', t.name), el('span', 'dur', fmtMs(t.durationMs)), track);
    }
    row.addEventListener('click', function () { select(item, false); });
    return row;
  }

  function select(item, scroll) {
    state.selected = item;
    Object.keys(ganttBars).forEach(function (id) { ganttBars[id].classList.toggle('selected', id === item.id); });
    if (scroll) {
      var i = state.rows.indexOf(item);
      if (i >= 0 && (i * ROW_H < list.scrollTop || (i + 1) * ROW_H > list.scrollTop + list.clientHeight)) list.scrollTop = Math.max(0, i * ROW_H - list.clientHeight / 3);
    }
    renderRows(true);
    detail.textContent = '';
    if (item.kind === 'suite') renderSuite(item.suite);
    else renderTest(item);
  }

  // ---- detail: a suite -----------------------------------------------------------------------
  function renderSuite(s) {
    var head = el('div', 'detail-head');
    add(head, add(el('div', 'title'), statusBadge(s.status), el('h2', '', s.name)), el('div', 'muted mono', s.file));
    var counts = {};
    s.tests.forEach(function (t) { counts[t.status] = (counts[t.status] || 0) + 1; });
    add(head, el('div', 'muted', plural(s.tests.length, 'test') + (Object.keys(counts).length ? ': ' + Object.keys(counts).map(function (k) { return counts[k] + ' ' + k; }).join(', ') : '') + ' \u00b7 from ' + at(s.start) + ' to ' + at(s.end)));
    add(detail, head);
    if (s.message) add(detail, el('pre', 'failure', s.message));
    if (s.steps.length > 0) {
      add(detail, el('h3', '', 'Suite init and cleanup'));
      s.steps.forEach(function (st, i) { add(detail, stepElement(st, i, st.status !== 'passed' && st.status !== 'skipped')); });
    }
  }

  // ---- detail: a test ------------------------------------------------------------------------
  function renderTest(item) {
    var t = item.test;
    var head = el('div', 'detail-head');
    head.id = 'test-head';
    add(head, add(el('div', 'title'), statusBadge(t.status), el('h2', '', t.name)));
    var where = item.suite.name + ' \u00b7 ' + item.suite.file + (t.line ? ':' + t.line : '');
    var when = t.start === null ? 'did not start' : 'started ' + at(t.start) + (t.durationMs !== null ? ', took ' + fmtMs(t.durationMs) : '');
    add(head, el('div', 'muted', where), el('div', 'muted', when));
    add(detail, head);
    if (t.message && t.status !== 'passed') {
      var failing = t.failedStep !== undefined ? t.steps[t.failedStep] : undefined;
      var box = el('div', (t.status === 'failed' || t.status === 'errored' ? 'failure s-' + t.status : 'note'));
      box.id = 'test-failure';
      if (failing) add(box, el('div', 'muted', 'step \u201c' + failing.name + '\u201d' + (failing.line ? ' (line ' + failing.line + ')' : '')));
      add(box, el('pre', '', t.message));
      add(detail, box);
    }
    if (t.steps.length === 0) add(detail, el('div', 'empty-state', 'No step of this test ran.'));
    // The failing step's message is the test's, shown above: not twice.
    t.steps.forEach(function (st, i) { add(detail, stepElement(st, i, i === t.failedStep, i === t.failedStep && st.message === t.message)); });
  }

  function stepElement(st, i, open, messageShown) {
    var d = el('details', 'step s-' + st.status);
    d.setAttribute('data-step', String(i));
    var sum = el('summary');
    add(sum, el('span', 'dot s-' + st.status));
    if (PHASES[st.phase]) add(sum, el('span', 'tag', PHASES[st.phase]));
    add(sum, el('span', 'name', st.name));
    if (st.plugin) add(sum, el('span', 'tag', st.plugin));
    if (st.durationMs !== null) add(sum, el('span', 'muted', fmtMs(st.durationMs)));
    if (st.attempts.length > 1) add(sum, el('span', 'muted', plural(st.attempts.length, 'attempt')));
    if (st.retry) add(sum, el('span', 'muted', 'run ' + st.retry.runs + ' of ' + st.retry.maxRuns));
    add(d, sum);
    var built = false;
    function build() {
      if (built) return;
      built = true;
      add(d, stepBody(st, messageShown));
    }
    d.addEventListener('toggle', function () { if (d.open) build(); });
    if (open) { d.open = true; build(); }
    return d;
  }

  function stepBody(st, messageShown) {
    var body = el('div', 'step-body');
    if (st.message && !messageShown) add(body, el('pre', st.status === 'failed' || st.status === 'errored' ? 'failure s-' + st.status : 'note', st.message));
    var attemptBox = el('div');
    var selectedAttempt = { i: -1, marks: null, rows: null };
    function pick(i) {
      selectedAttempt.i = i;
      attemptBox.textContent = '';
      add(attemptBox, attemptDetail(st, i));
      [selectedAttempt.marks, selectedAttempt.rows].forEach(function (group) {
        if (!group) return;
        for (var k = 0; k < group.length; k++) if (group[k]) group[k].classList.toggle('selected', k === i);
      });
    }
    var polled = st.runs.some(function (r) { return r.deadline !== null || r.maxAttempts !== null; });
    if (st.attempts.length > 0 && (polled || st.runs.length > 1 || st.attempts.length > 1)) {
      var tl = timeline(st, function (i) { pick(i); });
      selectedAttempt.marks = tl.marks;
      add(body, tl.element);
    }
    add(body, attemptBox);
    if (st.attempts.length > 1) {
      var table = attemptsTable(st, function (i) { pick(i); });
      selectedAttempt.rows = table.rows;
      add(body, table.element);
    }
    if (st.attempts.length > 0) pick(st.attempts.length - 1);
    var checks = value(st.checks);
    if (checks && checks.length) add(body, el('h3', '', 'Checks'), checksTable(checks));
    var saved = value(st.saved);
    if (saved && typeof saved === 'object') {
      add(body, el('h3', '', 'Saved values'));
      var tb = el('table', 'saved');
      add(tb, add(el('tr'), el('th', '', 'name'), el('th', '', 'value')));
      Object.keys(saved).forEach(function (k) { add(tb, add(el('tr'), el('td', 'v', k), el('td', 'v', show(saved[k])))); });
      add(body, tb);
    }
    if (st.logs.length > 0) add(body, add(el('div', 'logs'), el('h3', '', 'Logs and output'), el('pre', '', st.logs.join('\n'))));
    if (body.childNodes.length === 0 || (st.attempts.length === 0 && !checks && !saved && st.logs.length === 0 && !st.message)) add(body, el('div', 'muted', st.status === 'skipped' ? 'Skipped.' : 'Nothing recorded for this step.'));
    return body;
  }

  // ---- a step's timeline: each attempt a mark at its send time -------------------------------
  function conditionText(a) {
    var c = value(a[11]);
    if (!c || !c.length) return '';
    return c.map(function (r) {
      return (r._tag === 'Passed' ? '\u2713 ' : '\u2717 ') + r.label + ' ' + r.matcher + ' ' + show(r.expected) + (r._tag === 'Passed' ? '' : ', actual ' + show(r.actual) + (r.reason ? ' (' + r.reason + ')' : ''));
    }).join('\n');
  }
  // What a kind means for this attempt: a request without conditions passed or failed its run.
  function kindText(st, a) {
    if (a[5] === 0 && a[11] < 0) return 'passed';
    if (a[5] === 3) return a[11] >= 0 && st.cause === 'FailCondition' ? 'fail condition' : 'failed';
    return KIND_TEXT[a[5]];
  }
  function attemptHead(st, a) {
    var run = st.runs[a[1] - 1];
    var of = run && run.maxAttempts !== null ? '/' + run.maxAttempts : '';
    var outcome = a[7] >= 0 ? String(a[7]) : STR[a[9]];
    return 'attempt ' + a[0] + of + (st.runs.length > 1 ? ' of run ' + a[1] : '') + ' \u00b7 ' + outcome + ' \u00b7 ' + kindText(st, a);
  }
  function timeline(st, onPick) {
    var box = el('div', 'timeline');
    var first = st.attempts[0], lastA = st.attempts[st.attempts.length - 1];
    var from = Math.min(st.start === null ? first[2] : st.start, first[2]);
    var to = Math.max(st.end === null ? lastA[3] : st.end, lastA[3]);
    st.runs.forEach(function (r) { if (r.aborted !== null && r.deadline !== null) to = Math.max(to, r.deadline); });
    var base = Math.max(1, to - from);
    // A deadline far past the end would squeeze every mark to the left: it is then drawn at the edge.
    var offscale = [];
    st.runs.forEach(function (r) {
      if (r.deadline === null) return;
      if (r.deadline <= to + base * 0.5) to = Math.max(to, r.deadline);
      else offscale.push(r);
    });
    var W = Math.max(420, (box.clientWidth || detail.clientWidth || 800) - 30);
    var left = 6, right = offscale.length ? 118 : 12;
    var plot = W - left - right;
    var H = 74, markY = 22, markH = 18, axisY = 50;
    function x(t) { return left + plot * (t - from) / Math.max(1e-9, to - from); }
    var s = svg('svg', { width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    s.setAttribute('aria-label', 'timeline of ' + plural(st.attempts.length, 'attempt'));
    add(s, svg('line', { x1: left, y1: axisY, x2: left + plot, y2: axisY, 'class': 'axis-line' }));
    ticks(0, to - from, 6).forEach(function (v) {
      add(s, svg('line', { x1: x(from + v), y1: axisY, x2: x(from + v), y2: axisY + 4, 'class': 'tick' }));
      var label = svg('text', { x: x(from + v), y: axisY + 15, 'text-anchor': v === 0 ? 'start' : 'middle' });
      label.textContent = v === 0 ? '0' : fmtMs(v);
      add(s, label);
    });
    // Waits: from the end of an attempt to the next one's send time (dashed between runs).
    for (var i = 1; i < st.attempts.length; i++) {
      var p = st.attempts[i - 1], a = st.attempts[i];
      if (a[2] > p[3]) add(s, svg('line', { x1: x(p[3]), y1: markY + markH / 2, x2: x(a[2]), y2: markY + markH / 2, 'class': a[1] !== p[1] ? 'retry-wait' : 'wait' }));
    }
    if (st.runs.length > 1) st.runs.forEach(function (r, k) {
      add(s, svg('line', { x1: x(r.start), y1: markY - 6, x2: x(r.start), y2: markY + markH + 2, 'class': 'run-start' }));
      var t = svg('text', { x: x(r.start) + 2, y: markY - 8 });
      t.textContent = 'run ' + (k + 1);
      add(s, t);
    });
    var marks = [];
    st.attempts.forEach(function (a, k) {
      var x1 = x(a[2]), x2 = x(a[3]);
      var r = svg('rect', { x: x1, y: markY, width: Math.max(3, x2 - x1), height: markH, rx: 1.5, 'class': 'mark ' + KIND_CLASS[a[5]], 'data-attempt': k });
      var tip = svg('title', {});
      var cond = conditionText(a);
      tip.textContent = attemptHead(st, a) + '\nsent ' + at(a[2] - from) + (a[8] >= 0 ? ', response in ' + fmtMs(a[8]) : '') + (a[4] >= 0 ? ', next in ' + fmtMs(a[4]) : '') + (cond ? '\n' + cond : '');
      add(r, tip);
      r.addEventListener('click', function () { onPick(k); });
      marks.push(r);
      add(s, r);
    });
    st.runs.forEach(function (r) {
      if (r.aborted === null || r.deadline === null) return;
      var ab = svg('rect', { x: x(r.aborted), y: markY, width: Math.max(3, x(r.deadline) - x(r.aborted)), height: markH, 'class': 'aborted' });
      var tip = svg('title', {});
      tip.textContent = 'a request in flight at the deadline, aborted (sent ' + at(r.aborted - from) + ')';
      add(ab, tip);
      add(s, ab);
    });
    st.runs.forEach(function (r) {
      if (r.deadline === null) return;
      var far = offscale.indexOf(r) >= 0;
      var dx = far ? left + plot + 4 : x(r.deadline);
      add(s, svg('line', { x1: dx, y1: 8, x2: dx, y2: axisY, 'class': 'deadline' }));
      var label = svg('text', { x: far ? dx + 4 : dx, y: 8, 'text-anchor': far ? 'start' : 'end', 'class': 'deadline-label' });
      label.textContent = 'deadline ' + fmtMs(r.deadline - r.start) + (far ? ' (at ' + at(r.deadline - from) + ') \u2192' : '');
      add(s, label);
    });
    add(box, s);
    var legend = el('div', 'legend');
    var used = {};
    st.attempts.forEach(function (a) { used[a[5]] = true; });
    KIND_TEXT.forEach(function (text, k) {
      if (!used[k]) return;
      var example = st.attempts.find(function (a) { return a[5] === k; });
      add(legend, add(el('span'), el('i', KIND_CLASS[k]), document.createTextNode(kindText(st, example))));
    });
    if (st.attempts.length > 1) add(legend, add(el('span'), el('i', 'wait'), document.createTextNode('wait')));
    if (st.runs.some(function (r) { return r.deadline !== null; })) add(legend, add(el('span'), el('i', 'deadline'), document.createTextNode('deadline')));
    add(legend, el('span', '', 'hover a mark for its conditions, click it for its request and response'));
    add(box, legend);
    return { element: box, marks: marks };
  }

  function attemptDetail(st, i) {
    var a = st.attempts[i];
    var box = el('div', 'attempt-detail');
    box.setAttribute('data-attempt', String(i));
    add(box, el('h4', '', attemptHead(st, a)));
    var facts = ['sent ' + at(a[2]), 'ended ' + at(a[3])];
    if (a[8] >= 0) facts.push('response in ' + fmtMs(a[8]));
    if (a[4] >= 0) facts.push('then waited ' + fmtMs(a[4]));
    add(box, el('div', 'muted', facts.join(' \u00b7 ')));
    var cond = value(a[11]);
    if (cond && cond.length) add(box, el('h4', '', 'Conditions'), checksTable(cond));
    var req = value(a[6]) || {};
    var reqText = (req.method || '') + ' ' + (req.url || '');
    var headers = req.headers || {};
    Object.keys(headers).forEach(function (k) { reqText += '\n' + k + ': ' + headers[k]; });
    if (req.body !== undefined) reqText += '\n\n' + prettyBody(req.body);
    var resText;
    if (a[7] >= 0) {
      resText = 'HTTP ' + a[7] + '  (' + fmtMs(a[8]) + ')';
      var rh = value(a[9]) || {};
      Object.keys(rh).forEach(function (k) {
        var v = rh[k];
        (Array.isArray(v) ? v : [v]).forEach(function (one) { resText += '\n' + k + ': ' + one; });
      });
      var bodyText = STR[a[10]];
      if (bodyText) resText += '\n\n' + prettyBody(bodyText);
    } else {
      resText = 'no response: ' + STR[a[9]] + '\n' + STR[a[10]];
    }
    var ex = el('div', 'exchange');
    add(ex, add(el('div', 'req'), el('h4', '', 'Request'), el('pre', '', reqText)), add(el('div', 'res'), el('h4', '', a[7] >= 0 ? 'Response' : 'Transport error'), el('pre', '', resText)));
    add(box, ex);
    return box;
  }

  function attemptsTable(st, onPick) {
    var d = el('details', 'attempts');
    add(d, el('summary', '', 'All ' + plural(st.attempts.length, 'attempt')));
    var rows = [];
    var built = 0;
    var table = el('table');
    add(table, add(el('tr'), el('th', '', '#'), st.runs.length > 1 ? el('th', '', 'run') : null, el('th', '', 'sent'), el('th', '', 'outcome'), el('th', '', 'time'), el('th', '', 'conditions'), el('th', '', 'then waited')));
    var more = el('button', 'more', '');
    more.type = 'button';
    function grow() {
      var until = Math.min(st.attempts.length, built + 300);
      for (; built < until; built++) {
        var a = st.attempts[built];
        var c = value(a[11]);
        var held = c && c.length ? c.filter(function (r) { return r._tag === 'Passed'; }).length + '/' + c.length + ' held' : '';
        var tr = add(el('tr', 'k-' + KIND_CLASS[a[5]]), el('td', '', a[0]), st.runs.length > 1 ? el('td', '', a[1]) : null, el('td', '', at(a[2])), el('td', '', (a[7] >= 0 ? a[7] : STR[a[9]]) + ' \u00b7 ' + kindText(st, a)), el('td', '', fmtMs(a[8])), el('td', '', held), el('td', '', a[4] >= 0 ? fmtMs(a[4]) : ''));
        (function (k) { tr.addEventListener('click', function () { onPick(k); }); })(built);
        rows[built] = tr;
        add(table, tr);
      }
      more.textContent = 'show ' + Math.min(300, st.attempts.length - built) + ' more of ' + (st.attempts.length - built);
      more.style.display = built < st.attempts.length ? '' : 'none';
    }
    more.addEventListener('click', grow);
    d.addEventListener('toggle', function () { if (d.open && built === 0) grow(); });
    add(d, table, more);
    return { element: d, rows: rows };
  }

  function checksTable(results) {
    var table = el('table', 'checks');
    add(table, add(el('tr'), el('th', '', ''), el('th', '', 'check'), el('th', '', 'matcher'), el('th', '', 'expected'), el('th', '', 'actual'), el('th', '', '')));
    results.forEach(function (r) {
      var ok = r._tag === 'Passed';
      add(table, add(el('tr', ok ? 'pass' : 'fail'), el('td', 'r', ok ? '\u2713' : '\u2717'), el('td', 'v', r.label), el('td', '', r.matcher), el('td', 'v', show(r.expected)), el('td', 'v', show(r.actual)), el('td', 'muted', r.reason || '')));
    });
    return table;
  }

  // ---- start ---------------------------------------------------------------------------------
  refresh();
  var firstBad = tests.find(function (t) { return t.test.status === 'failed' || t.test.status === 'errored'; });
  var badSuite = suiteItems.find(function (s) { return s.suite.message; });
  var start = firstBad || badSuite || tests[0] || suiteItems[0];
  if (start) select(start, true);
  else add(detail, el('div', 'empty-state', 'No test ran.'));
  document.documentElement.setAttribute('data-ready', 'true');
  performance.mark('report-ready');
})();
`;
}
