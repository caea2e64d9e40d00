// The branch board: joins its branch on the queue hub; on every "changed" (and after every reconnect, when something may
// have been missed) it reads the board state again and redraws. SignalR's automatic reconnect covers short losses; when it
// gives up (a long outage, a node restart) the page keeps trying every few seconds.
(() => {
  const root = document.querySelector('[data-queue-board]');
  if (!root || !window.signalR) return;
  const branchId = Number(root.dataset.queueBoard);
  const lang = root.dataset.lang || 'zh-CN';
  const english = lang.toLowerCase().startsWith('en');
  const status = root.querySelector('[data-board-status]');
  const counterLabel = n => root.dataset.counterLabel.replace('{0}', n);
  const pick = (zh, en) => (english ? en || zh : zh || en);
  let lastSpoken = null;

  const cell = (text, className, langAttr) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    if (langAttr !== undefined) {
      const span = document.createElement('span');
      span.lang = langAttr;
      span.textContent = text;
      td.appendChild(span);
    } else {
      td.textContent = text;
    }
    return td;
  };

  const speak = call => {
    const key = call.number + '@' + call.at + '#' + call.callCount;
    if (key === lastSpoken) return;
    const first = lastSpoken === null;
    lastSpoken = key;
    if (first || !('speechSynthesis' in window)) return;
    const u = new SpeechSynthesisUtterance(root.dataset.say.replace('{0}', call.number).replace('{1}', call.counterNumber));
    u.lang = english ? 'en-GB' : 'zh-CN';
    window.speechSynthesis.speak(u);
  };

  const draw = board => {
    const current = root.querySelector('[data-board-current]');
    current.replaceChildren();
    const call = board.calls[0];
    if (call) {
      const number = document.createElement('div');
      number.className = 'queue-ticket-number';
      number.dataset.testid = 'board-current-number';
      number.textContent = call.number;
      const counter = document.createElement('div');
      counter.className = 'fs-2';
      counter.dataset.testid = 'board-current-counter';
      counter.textContent = counterLabel(call.counterNumber);
      current.append(number, counter);
      speak(call);
    } else {
      const none = document.createElement('div');
      none.className = 'fs-3';
      none.textContent = root.dataset.none;
      current.append(none);
    }
    root.querySelector('[data-board-recent]').replaceChildren(...board.calls.slice(1).map(c => {
      const tr = document.createElement('tr');
      tr.append(cell(c.number), cell(counterLabel(c.counterNumber)));
      return tr;
    }));
    root.querySelector('[data-board-waiting]').replaceChildren(...board.waiting.map(w => {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      const letter = document.createElement('span');
      letter.className = 'fw-semibold';
      letter.textContent = w.prefix + ' ';
      const label = document.createElement('span');
      label.lang = '';
      label.textContent = pick(w.name, w.nameEn);
      name.append(letter, label);
      tr.append(name, cell(String(w.waiting), 'text-end'), cell(root.dataset.minutes.replace('{0}', w.estimatedWaitMinutes), 'text-end'));
      return tr;
    }));
  };

  const refresh = async () => {
    const response = await fetch(`/api/v1/branches/${branchId}/queue/board`, { headers: { 'Accept-Language': lang } });
    if (response.ok) draw(await response.json());
  };

  const connection = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/queue-board')
    .withAutomaticReconnect([0, 1000, 2000, 5000, 10000])
    .build();
  connection.on('changed', () => refresh().catch(() => {}));
  const online = on => { root.dataset.online = on ? 'true' : 'false'; status.classList.toggle('text-danger', !on); };
  connection.onreconnecting(() => online(false));
  connection.onreconnected(async () => { await connection.invoke('Join', branchId); online(true); await refresh(); });
  connection.onclose(() => { online(false); setTimeout(start, 5000); });

  async function start() {
    try {
      await connection.start();
      await connection.invoke('Join', branchId);
      online(true);
      await refresh();
    } catch {
      online(false);
      setTimeout(start, 5000);
    }
  }

  start();
})();
