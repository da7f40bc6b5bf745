/**
 * The landing-page stylesheet, inlined into every page (no extra request: a page must arrive in
 * its first round trip). Mobile first; colours and font come from the theme's custom properties
 * (see theme.ts). Class names are short because every byte ships with every page, and a page
 * gets only the rules of the blocks it has: a thank-you page carries no quiz or chat styles.
 */
import type { Block } from '../../workers/domain/blocks';

const css = (text: string) => text.trim().replace(/\n/g, '');

/** Every page: the document, sections, buttons, cards. */
const BASE = css(`
*,::before,::after{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.6 var(--font);-webkit-text-size-adjust:100%}
img{max-width:100%;height:auto}
a{color:var(--lk)}
h1,h2,h3{line-height:1.2;margin:0 0 .6em;text-wrap:balance}
h1{font-size:clamp(2rem,6vw,3.2rem);letter-spacing:-.02em}
h2{font-size:clamp(1.5rem,4vw,2.1rem);letter-spacing:-.01em}
h3{font-size:1.15rem}
p,ul{margin:0 0 1em}
:focus-visible{outline:3px solid var(--lk);outline-offset:2px}
:target{scroll-margin-top:1rem}
.w{max-width:68rem;margin:0 auto;padding:0 1.25rem}
.b{padding:clamp(2.5rem,7vw,4.5rem) 0}
main>.b:nth-child(even){background:var(--sf)}
.c{text-align:center}
.n{max-width:40rem;margin-left:auto;margin-right:auto}
.lead{font-size:1.2rem;color:var(--mu)}
.note{font-size:.9rem;color:var(--mu);margin:.75rem 0 0}
.btn{display:inline-block;max-width:100%;background:var(--p);color:var(--op);border:0;border-radius:10px;padding:.85rem 1.6rem;font:inherit;font-weight:700;line-height:1.35;text-align:center;text-wrap:balance;text-decoration:none;cursor:pointer;box-shadow:0 8px 20px -10px var(--p);transition:transform .15s}
.btn:hover{transform:translateY(-1px)}
.nw{white-space:nowrap}
.lg{font-size:1.15rem;padding:1rem clamp(1.25rem,5vw,2.2rem)}
.full{width:100%}
.card{background:var(--bg);border:1px solid var(--ln);border-radius:16px;padding:1.5rem;box-shadow:0 2px 6px -2px rgba(0,0,0,.08)}
.card p:last-child{margin:0}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media(prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}
`);

const LOGO = css(`.top{padding:1rem 0;border-bottom:1px solid var(--ln)}.top img{height:2.25rem;width:auto;display:block}`);
const PREVIEW_BANNER = css(`.pv{background:#1f2937;color:#fff;text-align:center;padding:.5rem;font-size:.9rem;margin:0}`);

/** Images without a known size get a reserved box, so nothing below them moves when they load. */
const FIGURE = css(`
figure{margin:0}
figcaption{color:var(--mu);font-size:.9rem;margin-top:.5rem}
figure img:not([height]),.offer img:not([height]),.hero img:not([height]){width:100%;aspect-ratio:4/3;object-fit:contain}
`);

const GRID = css(`
.grid{display:grid;gap:1.25rem;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));list-style:none;padding:0;margin:0}
.grid h2,.grid h3{font-size:1.15rem}
`);

/** Shared by every capture form: fields, messages, choices, consent. */
const FORM = css(`
.form{max-width:34rem;margin:0 auto}
.fld{margin-bottom:1.1rem}
label,legend{display:block;font-weight:600;margin:0 0 .4rem;padding:0}
.opt-l{font-weight:400;color:var(--mu)}
input,select,textarea{width:100%;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--ct);border-radius:10px;padding:.75rem .9rem}
[aria-invalid=true]{border:2px solid var(--er)}
.err{color:var(--er);font-weight:600;font-size:.95rem;margin:.35rem 0 0}
.sum{border:2px solid var(--er);border-radius:12px;padding:1rem 1.25rem;margin-bottom:1.25rem}
.sum ul{margin:.5rem 0 0;padding-left:1.2rem}
.sum a{color:var(--er);font-weight:600}
fieldset{border:0;padding:0;margin:0 0 1.25rem;min-width:0}
.opt,.chk{display:flex;gap:.7rem;align-items:center;font-weight:500;cursor:pointer}
.opt{border:1px solid var(--ct);border-radius:12px;padding:.8rem 1rem;margin-bottom:.6rem}
.opt:has(:checked){border-color:var(--p);box-shadow:inset 0 0 0 1px var(--p);background:var(--wa)}
.chk{align-items:flex-start;font-weight:400}
.opt input,.chk input{width:1.25rem;height:1.25rem;margin:.15rem 0 0;flex:none;accent-color:var(--p)}
.hp{position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden}
`);

const BLOCK_CSS: Record<Block['type'], string[]> = {
  hero: [
    FIGURE,
    css(`
.hero{background:linear-gradient(var(--wa),var(--bg))}
.hero .w{display:grid;gap:2rem;align-items:center}
.hero img{border-radius:18px;box-shadow:0 24px 50px -24px rgba(0,0,0,.4)}
@media(min-width:52rem){.hero.img .w{grid-template-columns:1.1fr 1fr}}
`),
  ],
  rich_text: [],
  image: [FIGURE],
  features: [
    GRID,
    css(`
.ic{display:grid;place-items:center;width:2.75rem;height:2.75rem;border-radius:12px;background:var(--wa);color:var(--lk);margin-bottom:.75rem}
.ic svg{width:1.5rem;height:1.5rem;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
`),
  ],
  testimonials: [
    GRID,
    FIGURE,
    css(`
.stars{color:var(--lk);letter-spacing:.1em;margin:0 0 .5rem}
blockquote{margin:0 0 1rem;font-size:1.05rem}
.who{display:flex;gap:.75rem;align-items:center}
.who img{width:44px;height:44px;border-radius:50%;object-fit:cover}
.who small{display:block;color:var(--mu)}
`),
  ],
  cta: [css(`.quiet{color:var(--mu);font-weight:600}`)],
  lead_form: [FORM],
  quiz: [
    FORM,
    css(`
.prog{font-size:.9rem;color:var(--mu);margin:0}
.bar{height:6px;background:var(--ln);border-radius:3px;overflow:hidden;margin:.4rem 0 1.5rem}
.bar i{display:block;height:100%;background:var(--p);transition:width .3s}
.nav{display:flex;gap:.75rem;justify-content:space-between;align-items:center;margin-top:.5rem}
.nav .btn:last-child{margin-left:auto}
.ghost{background:none;color:var(--fg);border:1px solid var(--ct);box-shadow:none}
`),
  ],
  lead_magnet: [
    FORM,
    css(`
.split{display:grid;gap:2rem;align-items:center}
.cover{display:block;width:11rem;border-radius:10px;box-shadow:0 20px 40px -20px rgba(0,0,0,.5);margin-bottom:1.5rem}
.cover:not([height]){aspect-ratio:3/4;object-fit:cover}
@media(min-width:52rem){.split{grid-template-columns:1fr 1fr}}
`),
  ],
  chat_capture: [
    FORM,
    css(`
.chat{max-width:32rem;margin:0 auto;padding:0;overflow:hidden}
.chat-h{display:flex;gap:.75rem;align-items:center;padding:1rem 1.25rem;background:var(--p);color:var(--op);margin:0;font-weight:700}
.chat-h img{width:40px;height:40px;border-radius:50%;object-fit:cover}
.log,.chat form{padding:1.25rem}
.log{padding-bottom:0}
.bub{display:block;max-width:85%;width:fit-content;background:var(--sf);border:1px solid var(--ln);border-radius:16px 16px 16px 4px;padding:.6rem .9rem;margin:0 0 .75rem;font-weight:400}
.me{margin-left:auto;background:var(--p);color:var(--op);border-color:var(--p);border-radius:16px 16px 4px 16px}
.chips{display:flex;flex-wrap:wrap;gap:.5rem}
.chips button{font:inherit;background:var(--bg);color:var(--lk);border:1px solid var(--lk);border-radius:99px;padding:.45rem 1rem;cursor:pointer}
.say{display:flex;gap:.5rem}
.say .btn{flex:none}
.typing i{display:inline-block;width:.45rem;height:.45rem;margin:0 .12rem;border-radius:50%;background:var(--mu);animation:blink 1s infinite}
.typing i:nth-of-type(2){animation-delay:.2s}
.typing i:nth-of-type(3){animation-delay:.4s}
@keyframes blink{50%{opacity:.2}}
`),
  ],
  offer: [
    FIGURE,
    css(`
.offer{max-width:30rem;margin:0 auto;text-align:center;border:2px solid var(--p)}
.badge{display:inline-block;background:var(--p);color:var(--op);border-radius:99px;padding:.2rem .8rem;font-size:.8rem;font-weight:700;text-transform:uppercase;letter-spacing:.05em}
.price{font-size:2.6rem;font-weight:800;margin:.25rem 0 1rem}
.price del{font-size:1.2rem;font-weight:400;color:var(--mu);margin-right:.5rem}
.ticks{list-style:none;padding:0;text-align:left}
.ticks li{padding:.3rem 0 .3rem 1.8rem;position:relative}
.ticks li::before{content:"✓";position:absolute;left:0;color:var(--lk);font-weight:800}
`),
  ],
  // The date (no script) and the ticking boxes share one full-width box of reserved height, its
  // top fixed: when the script swaps one for the other, nothing on the page moves.
  countdown: [
    css(`
.cd{text-align:center;font-weight:600;margin:0}
.cd>p:first-child{margin:0 0 .5rem}
.cdc{min-height:5.5rem;margin:0;font-size:1.4rem;line-height:1.5;color:var(--lk)}
.cdc time{display:flex;flex-wrap:wrap;justify-content:center;gap:.5rem}
.u{min-width:4.4rem;padding:.4rem .5rem;border-radius:12px;background:var(--wa);color:var(--mu);font-size:.8rem;line-height:1.2}
.u b{display:block;font-size:1.8rem;color:var(--lk);font-variant-numeric:tabular-nums}
`),
  ],
  faq: [
    css(`
details{border-bottom:1px solid var(--ln);padding:1rem 0}
summary{cursor:pointer;font-weight:700;list-style:none;display:flex;justify-content:space-between;gap:1rem}
summary::-webkit-details-marker{display:none}
summary::after{content:"+";font-size:1.3rem;line-height:1}
details[open] summary::after{content:"−"}
details p{margin:.75rem 0 0}
`),
  ],
  video: [
    css(`
.vid{position:relative;aspect-ratio:16/9;border-radius:16px;overflow:hidden;background:#000}
.vid iframe{position:absolute;inset:0;width:100%;height:100%;border:0}
`),
  ],
};

/** The stylesheet for a page with these blocks (each shared section once, in a fixed order). */
export function landingCss(blockTypes: Iterable<Block['type']>, options: { logo?: boolean; preview?: boolean } = {}): string {
  const sections = new Set<string>([BASE]);
  if (options.logo) sections.add(LOGO);
  if (options.preview) sections.add(PREVIEW_BANNER);
  const present = new Set(blockTypes);
  for (const [type, parts] of Object.entries(BLOCK_CSS) as Array<[Block['type'], string[]]>) {
    if (present.has(type)) for (const part of parts) sections.add(part);
  }
  return [...sections].join('');
}
