// The task dashboard: reads the JSON API below the page's own path and draws it.
// No framework and no build step. Every text from a task is set as text, never as HTML.
(() => {
  'use strict';

  const REFRESH_MILLIS = 5000;
  const PAGE_SIZE = 25;
  const STATUSES = ['pending', 'started', 'success', 'failed', 'cancelled', 'retry'];
  const PRIORITIES = { 1: 'low', 2: 'normal', 3: 'high', 4: 'critical' };
  const SVG = 'http://www.w3.org/2000/svg';

  const body = document.body;
  const base = body.dataset.base;
  const readOnly = body.dataset.readOnly !== 'false';
  const csrf = body.dataset.csrfHeader ? { header: body.dataset.csrfHeader, token: body.dataset.csrfToken } : null;

  const state = {
    category: '', status: '', offset: 0, paused: false, timer: 0, loading: false, pending: false, openTask: null,
    hours: null
  };
  const numberFormat = new Intl.NumberFormat();
  const percentFormat = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 1 });
  const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'short', timeStyle: 'medium' });
  const clockFormat = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
  const hourFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

  const $ = (id) => document.getElementById(id);

  // --- Talking to the server -------------------------------------------------------

  function url(path, params) {
    const target = new URL(base + path, window.location.href);
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== '' && value !== null && value !== undefined) {
        target.searchParams.set(name, value);
      }
    }
    return target;
  }

  async function request(path, params, method) {
    const headers = { Accept: 'application/json' };
    if (method === 'POST' && csrf) {
      headers[csrf.header] = csrf.token;
    }
    const response = await fetch(url(path, params), { method: method || 'GET', headers, credentials: 'same-origin' });
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (ignored) {
      // A page of the server's own, such as a login page or an error page
    }
    if (!response.ok) {
      const reason = (json && json.error) || text.trim().slice(0, 300) || response.statusText;
      throw new Error(`${response.status}: ${reason}`);
    }
    if (json === null) {
      throw new Error('The server did not answer with JSON; has the session expired?');
    }
    return json;
  }

  // --- Small helpers ------------------------------------------------------------------

  function element(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === 'className') {
        node.className = value;
      } else if (name.startsWith('on')) {
        node.addEventListener(name.slice(2), value);
      } else {
        node.setAttribute(name, value);
      }
    }
    for (const child of children) {
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attributes, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  function duration(seconds) {
    if (!seconds) {
      return '–';
    }
    if (seconds < 1) {
      return `${Math.round(seconds * 1000)} ms`;
    }
    if (seconds < 60) {
      return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
    }
    if (seconds < 3600) {
      return `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
    }
    if (seconds < 86400) {
      return `${Math.floor(seconds / 3600)} h ${Math.round((seconds % 3600) / 60)} min`;
    }
    return `${Math.floor(seconds / 86400)} d ${Math.round((seconds % 86400) / 3600)} h`;
  }

  function time(iso) {
    return iso ? timeFormat.format(new Date(iso)) : '–';
  }

  function bytes(size) {
    if (size < 1024) {
      return `${size} bytes`;
    }
    if (size < 1024 * 1024) {
      return `${(size / 1024).toFixed(1)} KB`;
    }
    return `${(size / 1024 / 1024).toFixed(1)} MB`;
  }

  function badge(status) {
    return element('span', { className: `badge ${status}` }, status);
  }

  function taskButton(task, key) {
    return element('button', {
      type: 'button', className: 'link', 'data-key': key, 'data-task-id': task.id, title: task.id,
      onclick: () => openTask(task.id)
    }, task.name);
  }

  function emptyRow(columns, text) {
    return element('tr', {}, element('td', { colspan: columns, className: 'empty' }, text));
  }

  // Redraws a part of the page, and puts the keyboard focus back where it was.
  function redraw(container, ...children) {
    const focused = document.activeElement;
    const key = focused && container.contains(focused) ? focused.dataset.key : null;
    container.replaceChildren(...children);
    if (key) {
      const again = container.querySelector(`[data-key="${CSS.escape(key)}"]`);
      if (again) {
        again.focus();
      }
    }
  }

  // --- Overview: counts, chart, statistics, pending --------------------------------

  function drawCounts(counts) {
    const card = (status, label, count) => element('li', {},
      element('button', {
        type: 'button', className: `card ${status}${state.status === (status === 'total' ? '' : status) ? ' selected' : ''}`,
        'data-key': `card-${status}`, 'data-status': status, 'aria-label': `${label}: ${numberFormat.format(count)}, show in the task list`,
        onclick: () => filterBy(status === 'total' ? '' : status)
      },
      element('span', { className: 'count' }, numberFormat.format(count)),
      element('span', { className: 'label' }, label)));
    redraw($('counts'), card('total', 'all tasks', counts.total),
      ...STATUSES.map((status) => card(status, status, counts.byStatus[status] || 0)));
  }

  function niceCeiling(value) {
    if (value <= 4) {
      return 4;
    }
    const magnitude = 10 ** Math.floor(Math.log10(value));
    const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * magnitude >= value / 4) * magnitude;
    return Math.ceil(value / step) * step;
  }

  // Drawn at the width it is shown at, so that its text keeps its size on a phone as on a laptop.
  function drawChart(hours) {
    state.hours = hours;
    const width = Math.max(280, Math.round($('chart').clientWidth) || 720);
    const height = width < 600 ? 180 : 220;
    const left = 40;
    const right = 8;
    const top = 10;
    const bottom = 24;
    const plotWidth = width - left - right;
    const plotHeight = height - top - bottom;
    const highest = Math.max(0, ...hours.map((hour) => hour.succeeded + hour.failed));
    const ceiling = niceCeiling(highest);
    const slot = plotWidth / Math.max(hours.length, 1);
    const barWidth = Math.max(slot * 0.7, 1);
    const labelEvery = [1, 2, 3, 4, 6, 12].find((step) => step * slot >= 64) || 24;
    const y = (count) => top + plotHeight - (count / ceiling) * plotHeight;
    const totals = hours.reduce((sum, hour) => ({
      succeeded: sum.succeeded + hour.succeeded, failed: sum.failed + hour.failed
    }), { succeeded: 0, failed: 0 });

    const chart = svg('svg', {
      viewBox: `0 0 ${width} ${height}`, role: 'img',
      'aria-label': `Tasks finished per hour over the last ${hours.length} hours: `
        + `${totals.succeeded} succeeded, ${totals.failed} failed`
    });
    for (const fraction of [0, 0.5, 1]) {
      const value = ceiling * fraction;
      chart.append(svg('line', { x1: left, x2: width - right, y1: y(value), y2: y(value), class: fraction === 0 ? 'axis' : 'grid' }),
        svg('text', { x: left - 6, y: y(value) + 4, 'text-anchor': 'end' }, numberFormat.format(value)));
    }
    hours.forEach((hour, index) => {
      const start = new Date(hour.start);
      const end = new Date(start.getTime() + 3600 * 1000);
      const x = left + index * slot + (slot - barWidth) / 2;
      const group = svg('g', {
        class: 'hour', 'data-start': hour.start, 'data-succeeded': hour.succeeded, 'data-failed': hour.failed
      }, svg('title', {}, `${hourFormat.format(start)}–${hourFormat.format(end)}: `
        + `${hour.succeeded} succeeded, ${hour.failed} failed`));
      const succeededTop = y(hour.succeeded);
      group.append(svg('rect', {
        class: 'succeeded', x, width: barWidth, y: succeededTop, height: top + plotHeight - succeededTop
      }));
      const failedTop = y(hour.succeeded + hour.failed);
      group.append(svg('rect', {
        class: 'failed', x, width: barWidth, y: failedTop, height: succeededTop - failedTop
      }));
      chart.append(group);
      if (index % labelEvery === 0) {
        chart.append(svg('text', { x: x + barWidth / 2, y: height - 6, 'text-anchor': 'middle' }, hourFormat.format(start)));
      }
    });
    if (highest === 0) {
      chart.append(svg('text', { x: left + plotWidth / 2, y: top + plotHeight / 2, 'text-anchor': 'middle', class: 'empty' },
        'No task finished in the last 24 hours'));
    }
    redraw($('chart'), chart);
  }

  function drawNames(names) {
    const rows = names.map((row) => element('tr', {},
      element('td', {}, row.name),
      element('td', {}, row.category),
      element('td', { className: 'number' }, numberFormat.format(row.total)),
      element('td', { className: 'number' }, numberFormat.format(row.failed)),
      element('td', { className: 'number' }, percentFormat.format(row.failureRate)),
      element('td', { className: 'number' }, duration(row.p50)),
      element('td', { className: 'number' }, duration(row.p95)),
      element('td', { className: 'number' }, duration(row.p99))));
    redraw(document.querySelector('#names tbody'),
      ...(rows.length ? rows : [emptyRow(8, 'No task was created in the last 24 hours.')]));
    const categories = [...new Set(names.map((row) => row.category))].sort();
    redraw($('categories'), ...categories.map((category) => element('option', { value: category })));
  }

  function drawPending(pending, now) {
    const rows = pending.map((task) => element('tr', {},
      element('td', {}, taskButton(task, `pending-${task.id}`)),
      element('td', {}, task.category),
      element('td', {}, PRIORITIES[task.priority] || task.priority),
      element('td', { className: 'number', title: time(task.createdAt) },
        duration((new Date(now) - new Date(task.createdAt)) / 1000))));
    redraw(document.querySelector('#pending tbody'),
      ...(rows.length ? rows : [emptyRow(4, 'No task is pending.')]));
  }

  // --- The task list --------------------------------------------------------------------

  function drawList(page) {
    const rows = page.tasks.map((task) => element('tr', { 'data-status': task.status },
      element('td', {}, time(task.createdAt)),
      element('td', {}, taskButton(task, `list-${task.id}`)),
      element('td', {}, task.category),
      element('td', {}, badge(task.status)),
      element('td', {}, PRIORITIES[task.priority] || task.priority),
      element('td', { className: 'number' }, duration(task.elapsedSeconds)),
      element('td', { className: 'number' }, `${Math.round(task.progress)}%`)));
    redraw(document.querySelector('#list tbody'),
      ...(rows.length ? rows : [emptyRow(7, 'No task matches.')]));
    const first = page.tasks.length ? page.offset + 1 : 0;
    $('range').textContent = `${numberFormat.format(first)}–${numberFormat.format(page.offset + page.tasks.length)}`
      + ` of ${numberFormat.format(page.total)}`;
    $('previous').disabled = page.offset === 0;
    $('next').disabled = page.offset + page.tasks.length >= page.total;
  }

  function filterBy(status) {
    state.status = status;
    $('status').value = status;
    state.offset = 0;
    refresh();
  }

  // --- Refreshing ---------------------------------------------------------------------

  function showProblem(error) {
    $('problem').textContent = error ? `Could not load the dashboard: ${error.message}` : '';
    $('problem').hidden = !error;
  }

  async function refresh() {
    window.clearTimeout(state.timer);
    if (state.loading) {
      // Loaded again as soon as the load under way ends, with what was asked for since
      state.pending = true;
      return;
    }
    state.loading = true;
    body.setAttribute('aria-busy', 'true');
    try {
      const [overview, page] = await Promise.all([
        request('/api/overview'),
        request('/api/tasks', { category: state.category, status: state.status, offset: state.offset, limit: PAGE_SIZE })
      ]);
      drawCounts(overview.counts);
      drawChart(overview.hours);
      drawNames(overview.names);
      drawPending(overview.oldestPending, overview.now);
      drawList(page);
      showProblem(null);
      $('updated').textContent = state.paused ? 'Paused' : `Updated ${clockFormat.format(new Date())}`;
      body.dataset.loaded = String(Number(body.dataset.loaded || 0) + 1);
    } catch (error) {
      showProblem(error);
    } finally {
      state.loading = false;
      body.removeAttribute('aria-busy');
      if (state.pending) {
        state.pending = false;
        refresh();
      } else {
        schedule();
      }
    }
  }

  function schedule() {
    window.clearTimeout(state.timer);
    if (!state.paused && !document.hidden) {
      state.timer = window.setTimeout(refresh, REFRESH_MILLIS);
    }
  }

  function togglePause() {
    state.paused = !state.paused;
    const button = $('pause');
    button.setAttribute('aria-pressed', String(state.paused));
    button.textContent = state.paused ? 'Resume' : 'Pause';
    $('updated').textContent = state.paused ? 'Paused' : 'Resuming…';
    if (state.paused) {
      window.clearTimeout(state.timer);
    } else {
      refresh();
    }
  }

  // --- A task's detail ----------------------------------------------------------------

  const FIELDS = [
    ['id', 'Id'], ['name', 'Name'], ['category', 'Category'], ['status', 'Status'], ['priority', 'Priority', 'priority'],
    ['createdAt', 'Created', 'time'], ['startedAt', 'Started', 'time'], ['completedAt', 'Completed', 'time'],
    ['elapsedSeconds', 'Took', 'duration'], ['progress', 'Progress', 'percent'], ['progressMessage', 'Progress message'],
    ['retryCount', 'Retries'], ['maxRetries', 'Retries allowed'], ['attempt', 'Attempt'], ['maxAttempts', 'Attempts allowed'],
    ['idempotencyKey', 'Idempotency key'], ['notBefore', 'Not before', 'time'], ['nextAttemptAt', 'Next attempt', 'time'],
    ['leaseOwner', 'Lease owner'], ['leaseExpiresAt', 'Lease expires', 'time'], ['claimedAt', 'Claimed', 'time'],
    ['lastHeartbeatAt', 'Last heartbeat', 'time']
  ];

  function fieldValue(task, name, kind) {
    const value = task[name];
    if (value === null || value === undefined || value === '') {
      return '–';
    }
    switch (kind) {
      case 'time': return element('time', { datetime: value, title: value }, time(value));
      case 'duration': return duration(value);
      case 'percent': return `${value}%`;
      case 'priority': return `${PRIORITIES[value] || ''} (${value})`;
      default: return name === 'status' ? badge(value) : String(value);
    }
  }

  function textBlock(title, clipped, className) {
    const block = element('div', { className: 'block' }, element('h3', {}, title),
      element('pre', { className: className || '', tabindex: '0' }, clipped.text));
    if (clipped.clipped) {
      block.append(element('p', { className: 'note' },
        `Showing the first 64 KB of ${bytes(clipped.size)}.`));
    }
    return block;
  }

  function drawDetail(task) {
    $('detail-title').textContent = task.name;
    const fields = element('dl', { className: 'fields' });
    for (const [name, label, kind] of FIELDS) {
      fields.append(element('dt', {}, label), element('dd', { 'data-field': name }, fieldValue(task, name, kind)));
    }
    const parts = [fields];
    if (task.error) {
      parts.push(textBlock('Error', task.error, 'error'));
    }
    parts.push(textBlock('Result', task.result), textBlock('Arguments', task.args),
      textBlock('Keyword arguments', task.kwargs));
    $('detail-body').replaceChildren(...parts);
    $('delete').hidden = readOnly;
  }

  async function openTask(id) {
    const dialog = $('detail');
    state.openTask = id;
    $('detail-title').textContent = 'Loading…';
    $('detail-body').replaceChildren();
    $('delete').hidden = true;
    if (!dialog.open) {
      dialog.showModal();
    }
    try {
      const task = await request('/api/task', { id });
      if (state.openTask === id) {
        drawDetail(task);
      }
    } catch (error) {
      $('detail-title').textContent = 'Task';
      $('detail-body').replaceChildren(element('p', { className: 'problem', role: 'alert' }, error.message));
    }
  }

  function closeTask() {
    state.openTask = null;
    $('detail').close();
  }

  // --- Writes, each confirmed first -------------------------------------------------------

  function confirmAction(text, action) {
    const dialog = $('confirm');
    $('confirm-text').textContent = text;
    $('confirm-ok').textContent = action;
    return new Promise((resolve) => {
      const finish = (answer) => {
        $('confirm-ok').removeEventListener('click', yes);
        $('confirm-cancel').removeEventListener('click', no);
        dialog.removeEventListener('close', no);
        if (dialog.open) {
          dialog.close();
        }
        resolve(answer);
      };
      const yes = () => finish(true);
      const no = () => finish(false);
      $('confirm-ok').addEventListener('click', yes);
      $('confirm-cancel').addEventListener('click', no);
      dialog.addEventListener('close', no);
      dialog.showModal();
      $('confirm-cancel').focus();
    });
  }

  async function deleteOpenTask() {
    const id = state.openTask;
    if (!id || !(await confirmAction(`Delete task ${id}? This cannot be undone.`, 'Delete task'))) {
      return;
    }
    try {
      await request('/api/task/delete', { id }, 'POST');
      closeTask();
      $('updated').textContent = `Deleted task ${id}`;
      refresh();
    } catch (error) {
      $('detail-body').prepend(element('p', { className: 'problem', role: 'alert' }, `Not deleted: ${error.message}`));
    }
  }

  async function cleanUp(event) {
    event.preventDefault();
    const amount = Number.parseInt($('retention').value, 10);
    if (!(amount > 0)) {
      $('cleanup-result').textContent = 'Enter a number of days or hours above 0.';
      return;
    }
    const unit = $('retention-unit').value;
    const text = `Delete every finished task that completed more than ${amount} ${unit === 'd' ? 'days' : 'hours'} ago? `
      + 'This cannot be undone.';
    if (!(await confirmAction(text, 'Clean up'))) {
      return;
    }
    try {
      const result = await request('/api/cleanup', { retention: `${amount}${unit}` }, 'POST');
      $('cleanup-result').textContent = `Deleted ${numberFormat.format(result.deleted)} task(s).`;
      refresh();
    } catch (error) {
      $('cleanup-result').textContent = `Not cleaned up: ${error.message}`;
    }
  }

  // --- Wiring -------------------------------------------------------------------------------

  $('pause').addEventListener('click', togglePause);
  $('filter').addEventListener('submit', (event) => {
    event.preventDefault();
    state.category = $('category').value.trim();
    filterBy($('status').value);
  });
  $('status').addEventListener('change', () => {
    state.category = $('category').value.trim();
    filterBy($('status').value);
  });
  $('previous').addEventListener('click', () => {
    state.offset = Math.max(0, state.offset - PAGE_SIZE);
    refresh();
  });
  $('next').addEventListener('click', () => {
    state.offset += PAGE_SIZE;
    refresh();
  });
  $('detail-close').addEventListener('click', closeTask);
  $('detail').addEventListener('close', () => {
    state.openTask = null;
  });
  $('delete').addEventListener('click', deleteOpenTask);
  $('cleanup').addEventListener('submit', cleanUp);
  $('maintenance').hidden = readOnly;
  let resizing = 0;
  window.addEventListener('resize', () => {
    window.cancelAnimationFrame(resizing);
    resizing = window.requestAnimationFrame(() => {
      if (state.hours) {
        drawChart(state.hours);
      }
    });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) {
      window.clearTimeout(state.timer);
    } else if (!state.paused) {
      refresh();
    }
  });

  refresh();
})();
