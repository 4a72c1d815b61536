import { pageScript } from './page-script.js';
import { pageStyle } from './page-style.js';
import { scriptSafeJson } from './script-safe-json.js';

/** What the page shows before its script has run, or when scripts are off. */
const NO_SCRIPT = 'This report is drawn by the script in this file; allow scripts for this page to see it.';

/**
 * The HTML report's page: one self-contained document (inline style and script, nothing
 * fetched, so it works from `file://` and as a CI artifact) that embeds the report's data as
 * JSON in `<script type="application/json" id="report-data">`, escaped with
 * {@link scriptSafeJson} so that no server data can end that element. `title` goes in
 * `<title>`, escaped for HTML.
 *
 * renderPage('{"format":1,...}', 'rocketship report: 2 failed')
 * // '<!DOCTYPE html>\n<html lang="en">\n<head>...<script type="application/json" id="report-data">{"format":1,...}</script>...'
 */
export function renderPage(dataJson: string, title: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // No request may leave the page: no CDN, no font, no image, nothing but what is inline.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${pageStyle()}</style>`,
    '</head>',
    '<body>',
    `<div id="app"><noscript>${escapeHtml(NO_SCRIPT)}</noscript></div>`,
    `<script type="application/json" id="report-data">${scriptSafeJson(dataJson)}</script>`,
    `<script>${pageScript()}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Text escaped for HTML content and attribute values. */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

const HTML_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
