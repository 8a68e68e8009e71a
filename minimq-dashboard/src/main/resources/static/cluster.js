// MiniMQ cluster view: one card per node, fed by the dashboard's SSE stream of metrics.* topics.
// The stream starts `history` ago (back-fill), then stays live; EventSource reconnects by itself
// and resumes from the last event id, so a dropped connection loses nothing.
'use strict';

const PERCENT = ['cpu', 'mem', 'disk'];
const COLORS = { cpu: '#0d6efd', mem: '#d63384', disk: '#198754', net: '#fd7e14', load: '#6f42c1' };  // also the legend swatches in the card
const HOT = 90;   // % at or above which a value counts as hot (red)
const WARM = 75;  // % at or above which it counts as warm (amber)
const nodes = new Map();   // node name -> state, see newNode()
let config = { staleAfterMs: 15000, historyMs: 300000, serverTime: Date.now() };
let clockSkew = 0;         // server clock minus browser clock, so "stale" uses the server's notion of now

const $ = (id) => document.getElementById(id);
const serverNow = () => Date.now() + clockSkew;

async function main() {
  try {
    config = await (await fetch('/api/config')).json();
    clockSkew = config.serverTime - Date.now();
  } catch (e) { /* keep the defaults; the stream below reports the connection state */ }
  const source = new EventSource('/api/stream?fromTime=' + Math.max(0, serverNow() - config.historyMs));
  source.addEventListener('record', (e) => onRecord(JSON.parse(e.data)));
  source.onopen = () => setConnection('Live', 'text-bg-success');
  source.onerror = () => setConnection('Reconnecting…', 'text-bg-warning');
  $('filter').addEventListener('input', layout);
  $('sort').addEventListener('change', layout);
  document.addEventListener('minimq:theme', () => nodes.forEach(destroyCharts));
  let width = 0;   // charts are rebuilt at their new size when the page's width changes
  new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (w !== width) { width = w; nodes.forEach(destroyCharts); }
  }).observe($('nodes'));
  setInterval(tick, 1000);
}

function setConnection(text, style) {
  const badge = $('connection');
  badge.textContent = text;
  badge.className = 'badge ' + style;
}

// ---- data ----

function onRecord(record) {
  const sample = record.value || {};
  const name = sample.node || record.key;
  const metric = record.topic.startsWith('metrics.') ? record.topic.slice(8) : null;
  if (!name || !metric || typeof sample.value !== 'number') return;
  let node = nodes.get(name);
  if (!node) {
    node = newNode(name);
    nodes.set(name, node);
    layout();
  }
  const t = (sample.timestamp || record.timestamp) / 1000;   // uPlot wants seconds
  const series = node.series[metric] || (node.series[metric] = { t: [], v: [] });
  series.t.push(t);
  series.v.push(sample.value);
  node.latest[metric] = sample.value;
  node.lastSeen = Math.max(node.lastSeen, record.timestamp);
  node.dirty = true;
}

function newNode(name) {
  const el = $('card-template').content.firstElementChild.cloneNode(true);
  const card = el.querySelector('.node-card');
  card.dataset.node = name;
  card.querySelector('.node-name').textContent = name;
  card.setAttribute('aria-label', 'Node ' + name);
  const node = { name, el, card, latest: {}, series: {}, lastSeen: 0, dirty: true, visible: false, charts: null };
  visibility.observe(el);
  el.minimqNode = node;
  return node;
}

// Charts are only built and redrawn for cards on screen: 200 nodes stay cheap.
const visibility = new IntersectionObserver((entries) => {
  for (const entry of entries) {
    entry.target.minimqNode.visible = entry.isIntersecting;
    if (entry.isIntersecting) entry.target.minimqNode.dirty = true;
  }
}, { rootMargin: '200px' });

// ---- rendering, once a second ----

function tick() {
  const cutoff = (serverNow() - config.historyMs) / 1000;
  for (const node of nodes.values()) {
    trim(node, cutoff);
    renderStatus(node);
    if (node.dirty) renderValues(node);
    if (node.dirty && node.visible) renderCharts(node);
    if (node.visible) node.dirty = false;
  }
  renderSummary();
  if ($('sort').value !== 'name') layout();
}

function trim(node, cutoff) {
  for (const s of Object.values(node.series)) {
    let drop = 0;
    while (drop < s.t.length && s.t[drop] < cutoff) drop++;
    if (drop) { s.t.splice(0, drop); s.v.splice(0, drop); node.dirty = true; }
  }
}

function isStale(node) {
  return serverNow() - node.lastSeen > config.staleAfterMs;
}

function renderStatus(node) {
  const status = isStale(node) ? 'stale' : 'live';
  const badge = node.card.querySelector('.status-badge');
  if (node.card.dataset.status !== status || !badge.textContent) {
    node.card.dataset.status = status;
    badge.textContent = status;
    badge.className = 'badge status-badge ms-auto ' + (status === 'live' ? 'text-bg-success' : 'text-bg-secondary');
  }
  const seconds = Math.max(0, Math.round((serverNow() - node.lastSeen) / 1000));
  node.card.querySelector('.last-seen').textContent = status === 'stale'
    ? 'Last seen ' + new Date(node.lastSeen).toLocaleString() + ' (' + seconds + ' s ago)'
    : 'Last sample ' + seconds + ' s ago';
}

function renderValues(node) {
  let hot = false;
  for (const metric of ['cpu', 'mem', 'disk', 'net', 'load']) {
    const value = node.latest[metric];
    const dd = node.card.querySelector(`[data-metric="${metric}"]`);
    dd.textContent = format(metric, value);
    if (PERCENT.includes(metric)) {
      const level = value >= HOT ? 'hot' : value >= WARM ? 'warm' : '';
      dd.parentElement.className = 'metric ' + level;
      dd.title = level ? `${level === 'hot' ? 'Over' : 'Near'} the ${HOT}% threshold` : '';
      hot = hot || level === 'hot';
    }
  }
  node.card.classList.toggle('hot', hot);
}

function format(metric, value) {
  if (typeof value !== 'number') return '–';
  if (PERCENT.includes(metric)) return value.toFixed(1) + '%';
  if (metric === 'net') return formatBytes(value, true) + '/s';
  return value.toFixed(2);
}

function formatBytes(bytes, short) {
  const units = short ? ['B', 'K', 'M', 'G'] : ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
  return bytes.toFixed(i ? 1 : 0) + ' ' + units[i];
}

// ---- charts (uPlot) ----

function renderCharts(node) {
  if (!node.charts) node.charts = buildCharts(node);
  node.charts.pct.setData(aligned(node, PERCENT));
  node.charts.io.setData(aligned(node, ['net', 'load']));
}

function aligned(node, metrics) {
  const empty = { t: [], v: [] };
  return uPlot.join(metrics.map((m) => { const s = node.series[m] || empty; return [s.t, s.v]; }));
}

function buildCharts(node) {
  const style = getComputedStyle(document.body);
  const text = style.getPropertyValue('--bs-body-color').trim();
  const grid = style.getPropertyValue('--bs-border-color').trim();
  const width = Math.max(200, node.card.querySelector('.card-body').clientWidth - 16);
  const axis = (extra) => Object.assign({ stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } }, extra);
  const time = axis({ values: (u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })) });
  const pctEl = node.card.querySelector('.chart-pct');
  const ioEl = node.card.querySelector('.chart-io');
  pctEl.setAttribute('aria-label', `CPU, memory and disk of ${node.name} over the last ${config.historyMs / 60000} minutes`);
  ioEl.setAttribute('aria-label', `Network traffic and load of ${node.name} over the last ${config.historyMs / 60000} minutes`);
  const pct = new uPlot({
    width, height: 150, legend: { show: false },
    scales: { y: { range: [0, 100] } },
    series: [{}, line(COLORS.cpu), line(COLORS.mem), line(COLORS.disk)],
    axes: [time, axis({ size: 48, space: 20, values: (u, v) => v.map((x) => x + '%') })],
  }, aligned(node, PERCENT), pctEl);
  const io = new uPlot({
    width, height: 120, legend: { show: false },
    scales: { net: { auto: true, range: (u, min, max) => [0, Math.max(1024, max)] }, load: { auto: true, range: (u, min, max) => [0, Math.max(1, max)] } },
    series: [{}, line(COLORS.net, 'net'), line(COLORS.load, 'load')],
    axes: [time, axis({ scale: 'net', size: 64, space: 20, values: (u, v) => v.map((x) => formatBytes(x)) }),
      axis({ scale: 'load', side: 1, size: 32, space: 20, grid: { show: false } })],
  }, aligned(node, ['net', 'load']), ioEl);
  return { pct, io };
}

function line(stroke, scale) {
  const s = { stroke, width: 1.5, spanGaps: true, points: { show: false } };
  if (scale) s.scale = scale;
  return s;
}

function destroyCharts(node) {
  if (!node.charts) return;
  node.charts.pct.destroy();
  node.charts.io.destroy();
  node.charts = null;
  node.dirty = true;
}

// ---- layout: filter, sort, summary ----

function layout() {
  const filter = $('filter').value.trim().toLowerCase();
  const sort = $('sort').value;
  const list = [...nodes.values()];
  list.sort((a, b) => {
    if (sort === 'name') return a.name.localeCompare(b.name);
    if (sort === 'status') return (isStale(b) - isStale(a)) || a.name.localeCompare(b.name);
    return (b.latest[sort] ?? -1) - (a.latest[sort] ?? -1) || a.name.localeCompare(b.name);
  });
  const container = $('nodes');
  let shown = 0;
  list.forEach((node, i) => {
    const match = !filter || node.name.toLowerCase().includes(filter);
    node.el.hidden = !match;
    shown += match ? 1 : 0;
    if (container.children[i] !== node.el) container.insertBefore(node.el, container.children[i] || null);
  });
  $('empty').hidden = nodes.size > 0;
  $('shown').textContent = filter ? `${shown} of ${nodes.size} nodes match` : '';
}

function renderSummary() {
  const all = [...nodes.values()];
  const live = all.filter((n) => !isStale(n));
  $('sum-nodes').textContent = all.length;
  $('sum-status').textContent = all.length ? `${live.length} live, ${all.length - live.length} stale` : 'none yet';
  for (const metric of PERCENT) {
    const values = live.map((n) => n.latest[metric]).filter((v) => typeof v === 'number');
    const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    $('sum-' + metric).textContent = format(metric, avg);
  }
  const hot = live.filter((n) => typeof n.latest.cpu === 'number')
    .sort((a, b) => b.latest.cpu - a.latest.cpu).slice(0, 3);
  const list = $('sum-hot');
  list.replaceChildren(...hot.map((n) => {
    const li = document.createElement('li');
    li.className = 'list-inline-item';
    li.textContent = `${n.name} ${format('cpu', n.latest.cpu)}`;
    return li;
  }));
  if (!hot.length) list.innerHTML = '<li class="list-inline-item text-body-secondary">–</li>';
}

main();
