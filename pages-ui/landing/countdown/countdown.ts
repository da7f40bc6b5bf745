/**
 * The countdown block, ticking: turns each `[data-lf-cd]` deadline (epoch ms) into the days,
 * hours, minutes and seconds left, once a second, and into the block's expired text at the
 * deadline. A classic inline script of a few hundred bytes rather than an island: it needs no
 * Preact, and pages with a countdown but no quiz or chat stay free of the islands bundle.
 * Without JavaScript the server's date stays, which is the no-script fallback.
 */
const UNITS: Array<[label: string, ms: number]> = [
  ['days', 864e5],
  ['hours', 36e5],
  ['minutes', 6e4],
  ['seconds', 1e3],
];

function start(block: HTMLElement): void {
  const end = Number(block.dataset.lfCd);
  const box = block.querySelector('.cdc');
  const time = box?.querySelector('time');
  if (!box || !time || !Number.isFinite(end)) return;
  // The date stays for screen readers: the boxes say how long, this says until when.
  const until = document.createElement('span');
  until.className = 'sr';
  until.textContent = ` left, until ${time.textContent ?? ''}`;
  box.setAttribute('role', 'timer');
  const tick = (): void => {
    let left = end - Date.now();
    if (left <= 0) {
      const done = document.createElement('p');
      done.className = 'cd';
      done.textContent = block.dataset.lfDone ?? '';
      block.replaceWith(done);
      return;
    }
    time.replaceChildren(
      ...UNITS.map(([label, ms]) => {
        const value = Math.floor(left / ms);
        left -= value * ms;
        const unit = document.createElement('span');
        unit.className = 'u';
        const number = document.createElement('b');
        number.textContent = String(value).padStart(2, '0');
        unit.append(number, value === 1 ? label.slice(0, -1) : label);
        return unit;
      }),
      until,
    );
    // Aligned to the clock's seconds, so the display never skips or repeats a second.
    setTimeout(tick, 1000 - (Date.now() % 1000));
  };
  tick();
}

for (const block of document.querySelectorAll<HTMLElement>('[data-lf-cd]')) start(block);

export {};
