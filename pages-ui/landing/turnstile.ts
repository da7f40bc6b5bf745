/**
 * Cloudflare Turnstile on a published page, added to the stored HTML when the page is served (the
 * setting is the funnel's and can change without a republish; pages published before this existed
 * get it too). Each capture form gets a widget box right after its submission token, and a note
 * for visitors without JavaScript, who cannot pass the check. One inline script renders the
 * widgets explicitly once the islands have mounted (they replace the quiz and chat forms, so a
 * box is made again beside the island) and adds the widget's token to the form's data on every
 * submit — `formdata` fires for `form.submit()` too, which the quiz island uses.
 */
import { SUBMISSION_TOKEN_PLACEHOLDER, TOKEN_FIELD, BLOCK_FIELD } from './form-constants';

export const TURNSTILE_ORIGIN = 'https://challenges.cloudflare.com';
export const TURNSTILE_RESPONSE_FIELD = 'cf-turnstile-response';
const TURNSTILE_SCRIPT = `${TURNSTILE_ORIGIN}/turnstile/v0/api.js?render=explicit&onload=lfTurnstileReady`;

export const TURNSTILE_NO_SCRIPT_MESSAGE =
  'This form checks that you are a person with Cloudflare Turnstile, which needs JavaScript. Please turn on JavaScript in your browser to send it.';

const BOX = 'data-lf-turnstile';

function attr(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The browser side, with the site key; `<` escaped so the key can never close the script. */
function turnstileScript(siteKey: string): string {
  const key = JSON.stringify(siteKey).replace(/</g, '\\u003c');
  return `(()=>{const d=document,S=${JSON.stringify(BOX)},K=${key},F=${JSON.stringify(TURNSTILE_RESPONSE_FIELD)};let ready=!1,pending=!1;
const boxes=()=>[...d.querySelectorAll("["+S+"]")];
const go=()=>{for(const i of d.querySelectorAll('input[name="${BLOCK_FIELD}"]')){const f=i.form;if(!f||boxes().some(e=>e.getAttribute(S)===i.value))continue;const e=d.createElement("div");e.setAttribute(S,i.value);e.className="lf-ts";(f.closest("[data-island]")||f).after(e)}for(const e of boxes())if(!e.dataset.widget)e.dataset.widget=turnstile.render(e,{sitekey:K,"response-field":!1})};
d.addEventListener("DOMContentLoaded",()=>{ready=!0;pending&&go()});
self.lfTurnstileReady=()=>ready?go():pending=!0;
d.addEventListener("formdata",v=>{const b=v.formData.get("${BLOCK_FIELD}");for(const e of boxes())if(e.getAttribute(S)===b&&e.dataset.widget&&self.turnstile)v.formData.set(F,turnstile.getResponse(e.dataset.widget)||"")})})();`;
}

const TOKEN_INPUT = new RegExp(
  `(<input type="hidden" name="${BLOCK_FIELD}" value="([^"]*)"/?>)(<input type="hidden" name="${TOKEN_FIELD}" value="${SUBMISSION_TOKEN_PLACEHOLDER}"/?>)`,
  'g',
);

/** The page's HTML with a Turnstile widget in every capture form (unchanged if it has none). */
export function withTurnstile(html: string, siteKey: string): string {
  let forms = 0;
  const withBoxes = html.replace(TOKEN_INPUT, (_all, blockInput: string, blockId: string, tokenInput: string) => {
    forms++;
    return `${blockInput}${tokenInput}<div class="lf-ts" ${BOX}="${blockId}"></div><noscript><p class="err" role="alert">${attr(TURNSTILE_NO_SCRIPT_MESSAGE)}</p></noscript>`;
  });
  if (!forms) return html;
  const scripts = `<style>.lf-ts{margin:.75rem 0;min-height:65px}</style><script>${turnstileScript(siteKey)}</script><script src="${TURNSTILE_SCRIPT}" async defer></script>`;
  const end = withBoxes.lastIndexOf('</body>');
  return end === -1 ? withBoxes + scripts : withBoxes.slice(0, end) + scripts + withBoxes.slice(end);
}

/** The page's policy with Turnstile's script and frame allowed (only pages that show the widget get this). */
export function turnstileCsp(csp: string): string {
  const directives = csp.split('; ');
  const add = (name: string) => {
    const i = directives.findIndex((d) => d === name || d.startsWith(`${name} `));
    if (i === -1) directives.push(`${name} ${TURNSTILE_ORIGIN}`);
    else if (!directives[i]!.split(' ').includes(TURNSTILE_ORIGIN)) directives[i] = `${directives[i]} ${TURNSTILE_ORIGIN}`;
  };
  add('script-src');
  add('frame-src');
  return directives.join('; ');
}
