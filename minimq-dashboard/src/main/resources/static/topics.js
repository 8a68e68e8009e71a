// MiniMQ topic browser. The view (topic, offset or time, live tail) lives in the URL query,
// e.g. /topics?topic=metrics.cpu&offset=120&live=1, so a reload or a shared link shows the same.
'use strict';

const PAGE = 50;          // records per page
const MAX_ROWS = 500;     // rows kept while tailing; older rows leave the table
const $ = (id) => document.getElementById(id);
let tail = null;          // the live tail's EventSource
let page = null;          // the last page fetched: {topic, records, nextOffset, startOffset, endOffset}
let skippedTotal = 0;

function readView() {
  const q = new URLSearchParams(location.search);
  return {
    topic: q.get('topic'),
    offset: q.has('offset') ? Number(q.get('offset')) : null,
    time: q.has('time') ? Number(q.get('time')) : null,
    live: q.get('live') === '1',
  };
}

function writeView(view, push) {
  const q = new URLSearchParams();
  if (view.topic) q.set('topic', view.topic);
  if (view.offset != null) q.set('offset', view.offset);
  else if (view.time != null) q.set('time', view.time);
  if (view.live) q.set('live', '1');
  history[push ? 'pushState' : 'replaceState'](null, '', '/topics' + (q.toString() ? '?' + q : ''));
}

async function getJson(url) {
  const response = await fetch(url);
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || body.title || 'HTTP ' + response.status);
  return body;
}

// ---- topic list ----

async function loadTopics() {
  try {
    const topics = await getJson('/api/topics');
    $('topics-error').hidden = true;
    const current = readView().topic;
    $('topic-rows').replaceChildren(...topics.map((t) => {
      const tr = document.createElement('tr');
      const link = document.createElement('a');
      link.href = '/topics?topic=' + encodeURIComponent(t.name);
      link.textContent = t.name;
      link.addEventListener('click', (e) => { e.preventDefault(); open({ topic: t.name, offset: null, time: null, live: false }, true); });
      if (t.name === current) { tr.className = 'active'; link.setAttribute('aria-current', 'true'); }
      tr.append(cell(link), cell(t.startOffset, 'text-end'), cell(t.endOffset, 'text-end'), cell(bytes(t.sizeBytes), 'text-end'));
      return tr;
    }));
    if (!topics.length) $('topic-rows').innerHTML = '<tr><td colspan="4" class="text-body-secondary">No topics yet.</td></tr>';
  } catch (e) {
    $('topics-error').textContent = 'Cannot list topics: ' + e.message;
    $('topics-error').hidden = false;
  }
}

function cell(content, className) {
  const td = document.createElement('td');
  if (className) td.className = className;
  td.append(content instanceof Node ? content : document.createTextNode(String(content ?? '')));
  return td;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + units[i];
}

// ---- one topic's records ----

async function open(view, push) {
  writeView(view, push);
  stopTail();
  loadTopics();
  if (!view.topic) return;
  $('topic-title').textContent = view.topic;
  $('seek').hidden = false;
  $('live').checked = view.live;
  $('skipped').hidden = true;
  skippedTotal = 0;
  try {
    page = await fetchPage(view);
    renderPage(page);
    $('offset').value = page.records.length ? page.records[0].offset : page.nextOffset;
    $('time').value = view.time != null ? localInput(view.time) : '';
    $('notice').textContent = `Offsets ${page.startOffset} to ${page.endOffset - 1} stored; showing ${page.records.length} record(s).`;
    if (view.live) startTail(view.topic, page.nextOffset);
  } catch (e) {
    $('notice').textContent = 'Cannot read ' + view.topic + ': ' + e.message;
  }
}

async function fetchPage(view) {
  const base = '/api/topics/' + encodeURIComponent(view.topic) + '/records?limit=' + PAGE;
  if (view.offset != null) return getJson(base + '&offset=' + view.offset);
  if (view.time != null) return getJson(base + '&fromTime=' + view.time);
  const latest = await getJson(base.replace('limit=' + PAGE, 'limit=1') + '&offset=latest');
  return getJson(base + '&offset=' + Math.max(latest.startOffset, latest.endOffset - PAGE));
}

function renderPage(p) {
  $('record-rows').replaceChildren(...p.records.map(row));
  document.querySelector('table.records').hidden = false;
}

function row(record) {
  const tr = document.createElement('tr');
  const pre = document.createElement('pre');
  pre.textContent = JSON.stringify(record.value, null, 2);
  const headers = record.headers && Object.keys(record.headers).length ? JSON.stringify(record.headers) : '';
  tr.append(cell(record.offset), cell(new Date(record.timestamp).toLocaleString()), cell(record.key ?? ''),
    cell(headers), cell(pre, 'value'));
  return tr;
}

function localInput(ms) {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60000);
  return d.toISOString().slice(0, 19);
}

// ---- live tail ----

function startTail(topic, fromOffset) {
  tail = new EventSource('/api/topics/' + encodeURIComponent(topic) + '/stream?offset=' + fromOffset);
  tail.addEventListener('record', (e) => {
    const rows = $('record-rows');
    rows.append(row(JSON.parse(e.data)));
    while (rows.children.length > MAX_ROWS) rows.firstElementChild.remove();
  });
  tail.addEventListener('skipped', (e) => {
    const s = JSON.parse(e.data);
    skippedTotal += s.count;
    $('skipped').textContent = `The live tail could not keep up and skipped ${skippedTotal} record(s) `
      + `(last gap: offsets ${s.fromOffset} to ${s.toOffset - 1}).`;
    $('skipped').hidden = false;
  });
  tail.onopen = () => { $('notice').textContent = 'Following ' + topic + ' live.'; };
  tail.onerror = () => { $('notice').textContent = 'Live tail reconnecting…'; };
}

function stopTail() {
  if (tail) tail.close();
  tail = null;
}

// ---- controls ----

$('seek').addEventListener('submit', (e) => {
  e.preventDefault();
  const view = readView();
  const time = $('time').value ? new Date($('time').value).getTime() : null;
  const offset = $('offset').value === '' ? null : Number($('offset').value);
  open({ topic: view.topic, offset: time != null ? null : offset, time, live: view.live }, true);
});
$('older').addEventListener('click', () => {
  if (!page) return;
  const first = page.records.length ? page.records[0].offset : page.nextOffset;
  open({ topic: readView().topic, offset: Math.max(page.startOffset, first - PAGE), time: null, live: false }, true);
});
$('newer').addEventListener('click', () => {
  if (page) open({ topic: readView().topic, offset: Math.min(page.nextOffset, page.endOffset), time: null, live: false }, true);
});
$('newest').addEventListener('click', () => open({ topic: readView().topic, offset: null, time: null, live: false }, true));
$('live').addEventListener('change', () => {
  const view = readView();
  view.live = $('live').checked;
  writeView(view, false);
  if (view.live && page) startTail(view.topic, page.nextOffset); else stopTail();
});
$('refresh').addEventListener('click', loadTopics);
window.addEventListener('popstate', () => open(readView(), false));

open(readView(), false);
