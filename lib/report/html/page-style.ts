/**
 * The HTML report's style sheet, inlined in the page (the report is one file that works from
 * `file://`, with nothing fetched). Colours: a status each (passed, failed, errored, skipped,
 * interrupted) and an attempt kind each (conditions held, not yet, transport error, failed),
 * with a legend beside every timeline. A function, as `pageScript` (page-script.ts) is, for the same
 * reason.
 */
export function pageStyle(): string {
  return String.raw`
:root {
  --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --bg: #ffffff; --panel: #f6f8fa; --accent: #0969da;
  --passed: #1a7f37; --failed: #cf222e; --errored: #bc4c00; --skipped: #818b98; --interrupted: #8250df; --running: #9a6700;
  --held: #2da44e; --not-yet: #d4a72c; --transport: #8250df; --fail: #cf222e;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color: var(--fg); background: var(--bg);
}
* { box-sizing: border-box; }
body { margin: 0; padding: 12px 16px 24px; }
h1 { font-size: 20px; margin: 0; }
h2 { font-size: 18px; margin: 0; word-break: break-word; }
h3 { font-size: 14px; margin: 16px 0 6px; }
h4 { font-size: 13px; margin: 10px 0 6px; }
pre, code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 12px; }
pre { margin: 0; white-space: pre-wrap; word-break: break-word; }
button { font: inherit; cursor: pointer; }
.muted { color: var(--muted); }
.header { display: flex; flex-wrap: wrap; align-items: baseline; gap: 8px 16px; margin-bottom: 10px; }
.header .meta { color: var(--muted); }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-bottom: 10px; }
.filter { border: 1px solid var(--line); background: var(--bg); border-radius: 16px; padding: 2px 10px; display: inline-flex; gap: 6px; align-items: center; }
.filter .n { font-weight: 600; }
.filter.active { border-color: var(--accent); box-shadow: inset 0 0 0 1px var(--accent); background: #ddf4ff; }
.filter.empty { opacity: 0.5; }
#search { margin-left: auto; min-width: 260px; padding: 4px 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
.dot { display: inline-block; width: 10px; height: 10px; border-radius: 50%; flex: none; background: var(--skipped); }
.s-passed { --c: var(--passed); } .s-failed { --c: var(--failed); } .s-errored { --c: var(--errored); }
.s-skipped { --c: var(--skipped); } .s-interrupted { --c: var(--interrupted); } .s-running { --c: var(--running); }
.dot[class*="s-"], .bar[class*="s-"], .gantt-bar[class*="s-"] { background: var(--c); }
.badge { display: inline-block; color: #fff; background: var(--c, var(--skipped)); border-radius: 10px; padding: 0 8px; font-size: 12px; font-weight: 600; }
.errors { border: 1px solid var(--failed); background: #ffebe9; border-radius: 6px; padding: 8px 12px; margin-bottom: 10px; }
.errors pre { margin-top: 4px; }
.gantt { border: 1px solid var(--line); border-radius: 6px; padding: 8px 10px 4px; margin-bottom: 10px; background: var(--panel); }
.gantt-title { display: flex; gap: 12px; align-items: baseline; font-size: 12px; color: var(--muted); margin-bottom: 4px; }
.gantt-lanes { position: relative; overflow: hidden; }
.gantt-bar { position: absolute; min-width: 2px; border-radius: 2px; cursor: pointer; opacity: 0.9; }
.gantt-bar.dim { opacity: 0.15; }
.gantt-bar.selected { outline: 2px solid var(--fg); z-index: 1; }
.axis { position: relative; height: 18px; font-size: 11px; color: var(--muted); border-top: 1px solid var(--line); margin-top: 2px; }
.axis span { position: absolute; top: 1px; transform: translateX(-50%); white-space: nowrap; }
.axis span:first-child { transform: none; }
.main { display: grid; grid-template-columns: minmax(300px, 36%) minmax(0, 1fr); gap: 14px; align-items: start; }
.list-pane { position: sticky; top: 8px; border: 1px solid var(--line); border-radius: 6px; }
.list-count { padding: 4px 10px; font-size: 12px; color: var(--muted); border-bottom: 1px solid var(--line); }
#list { height: calc(100vh - 60px); min-height: 240px; overflow-y: auto; position: relative; }
.list-inner { position: relative; }
.row { position: absolute; left: 0; right: 0; height: 30px; display: flex; align-items: center; gap: 8px; padding: 0 10px; cursor: pointer; border-bottom: 1px solid #eef1f4; white-space: nowrap; }
.row:hover { background: var(--panel); }
.row.selected { background: #ddf4ff; }
.row .name { overflow: hidden; text-overflow: ellipsis; flex: 1 1 auto; min-width: 40px; }
.suite-row { font-weight: 600; background: #fbfcfd; }
.suite-row .name { font-weight: 600; }
.row .dur { color: var(--muted); font-size: 12px; flex: none; }
.row .track { position: relative; width: 90px; height: 8px; background: #eef1f4; border-radius: 2px; flex: none; }
.row .bar { position: absolute; top: 0; bottom: 0; min-width: 2px; border-radius: 2px; }
.detail { min-width: 0; }
.detail-head { display: flex; flex-direction: column; gap: 4px; margin-bottom: 10px; }
.detail-head .title { display: flex; gap: 8px; align-items: center; }
.failure { border-left: 3px solid var(--failed); background: #ffebe9; padding: 8px 10px; border-radius: 0 6px 6px 0; margin: 8px 0; }
.failure.s-errored { border-color: var(--errored); background: #fff1e5; }
.note { border-left: 3px solid var(--skipped); background: var(--panel); padding: 6px 10px; margin: 8px 0; }
details.step { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: var(--bg); }
details.step > summary { list-style: none; display: flex; align-items: center; gap: 8px; padding: 6px 10px; cursor: pointer; }
details.step > summary::-webkit-details-marker { display: none; }
details.step > summary::before { content: "\25B8"; color: var(--muted); width: 10px; }
details.step[open] > summary::before { content: "\25BE"; }
details.step > summary .name { font-weight: 600; word-break: break-word; }
.tag { font-size: 11px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 4px; }
.step-body { padding: 4px 12px 12px; border-top: 1px solid var(--line); }
.timeline { margin: 8px 0; }
.timeline svg { display: block; overflow: visible; }
.timeline .axis-line { stroke: var(--line); }
.timeline .tick { stroke: var(--line); }
.timeline text { font-size: 10px; fill: var(--muted); font-family: inherit; }
.timeline .mark { cursor: pointer; }
.timeline .mark.held { fill: var(--held); } .timeline .mark.not-yet { fill: var(--not-yet); }
.timeline .mark.transport { fill: var(--transport); } .timeline .mark.failed { fill: var(--fail); }
.timeline .mark.selected { stroke: var(--fg); stroke-width: 2; }
.timeline .mark:hover { stroke: var(--fg); stroke-width: 1; }
.timeline .wait { stroke: #8c959f; stroke-width: 1.5; }
.timeline .retry-wait { stroke: #8c959f; stroke-width: 1.5; stroke-dasharray: 4 3; }
.timeline .deadline { stroke: var(--fail); stroke-width: 2; stroke-dasharray: 5 3; }
.timeline text.deadline-label { fill: var(--fail); }
.timeline .aborted { fill: none; stroke: var(--fail); stroke-dasharray: 3 2; }
.timeline .run-start { stroke: var(--fg); stroke-width: 1; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: 12px; color: var(--muted); margin-top: 2px; }
.legend i { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: -1px; border-radius: 2px; }
.legend .held { background: var(--held); } .legend .not-yet { background: var(--not-yet); }
.legend .transport { background: var(--transport); } .legend .failed { background: var(--fail); }
.legend .deadline { width: 0; height: 12px; border-left: 2px dashed var(--fail); border-radius: 0; }
.legend .wait { width: 14px; height: 0; border-top: 2px solid #8c959f; border-radius: 0; vertical-align: 3px; }
.attempt-detail { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px 10px; background: var(--panel); margin: 8px 0; }
.exchange { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 10px; }
.exchange pre { background: var(--bg); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; max-height: 320px; overflow: auto; }
table { border-collapse: collapse; width: 100%; font-size: 12px; }
th, td { text-align: left; padding: 3px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.v { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-word; }
tr.pass td.r { color: var(--passed); } tr.fail td.r { color: var(--failed); font-weight: 600; }
.attempts tr { cursor: pointer; } .attempts tr:hover td { background: #eef1f4; } .attempts tr.selected td { background: #ddf4ff; }
.logs pre { background: #0d1117; color: #e6edf3; padding: 8px 10px; border-radius: 6px; max-height: 360px; overflow: auto; }
.more { margin: 6px 0; border: 1px solid var(--line); background: var(--bg); border-radius: 4px; padding: 2px 10px; }
.empty-state { padding: 24px; color: var(--muted); }
@media (max-width: 900px) { .main { grid-template-columns: minmax(0, 1fr); } .list-pane { position: static; } #list { height: 50vh; } .exchange { grid-template-columns: minmax(0, 1fr); } }
`;
}
