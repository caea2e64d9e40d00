// The virtual ticket on a phone: joins its branch on the queue board hub and, on every "changed" (and after a reconnect),
// reads /api/v1/queue/tickets/{token} again and redraws the place and the estimate. Texts come from the page (zh or en).
(() => {
  const root = document.querySelector('[data-queue-ticket]');
  if (!root || !window.signalR) return;
  const token = root.dataset.queueTicket;
  const branchId = Number(root.dataset.branch);
  const d = root.dataset;
  const place = root.querySelector('[data-ticket-place]');
  const estimate = root.querySelector('[data-ticket-estimate]');

  const text = t => {
    if (t.status === 'Waiting') {
      if (t.position === 1) return d.next;
      if (t.position === 2) return d.secondNext;
      return d.position.replace('{0}', t.position);
    }
    if (t.status === 'Called') return d.called.replace('{0}', t.counterNumber);
    if (t.status === 'Serving' || t.status === 'Parked') return d.serving;
    return d.ended;
  };

  const refresh = async () => {
    const response = await fetch(`/api/v1/queue/tickets/${encodeURIComponent(token)}`, { headers: { 'Accept-Language': d.lang } });
    if (!response.ok) return;
    const t = await response.json();
    place.textContent = text(t);
    estimate.textContent = t.estimatedWaitMinutes == null ? '' : d.estimate.replace('{0}', t.estimatedWaitMinutes);
  };

  const connection = new signalR.HubConnectionBuilder().withUrl('/hubs/queue-board').withAutomaticReconnect([0, 1000, 2000, 5000, 10000]).build();
  connection.on('changed', () => refresh().catch(() => {}));
  connection.onreconnected(async () => { await connection.invoke('Join', branchId); await refresh(); });
  connection.onclose(() => setTimeout(start, 5000));

  async function start() {
    try {
      await connection.start();
      await connection.invoke('Join', branchId);
      root.dataset.online = 'true';
      await refresh();
    } catch {
      setTimeout(start, 5000);
    }
  }

  start();
})();
