/**
 * What the inspector shows when no block is selected: the page's theme (colours, font, logo) with
 * a live WCAG AA check of the colour pairs visitors will read, and its SEO and social settings
 * with a search-result preview. Both forms are generated from the page-settings schema like the
 * block forms.
 */
import type { PageSettings, Theme } from '../../../../../workers/domain/blocks';
import { FONT_STACKS, type FontStack } from '../../../../../workers/domain/font-stacks';
import { FieldControl } from './controls';
import { ChoiceControl } from './field-shell';
import { buildFieldModel } from './field-model';
import { controlId, FieldList, FormContext, issueAt, useForm, valueAt, type FieldProps, type FormCtx } from './form-context';
import type { EnumField } from './field-model';
import { AA_TEXT, themeContrast } from './contrast';
import { FIELD_HINTS } from './ui-hints';
import type { Issues } from './issues';
import { schemaRuntime } from './use-runtime';
import { setIn } from './values';

/** Characters of a title and a description that search results show before cutting them off. */
const TITLE_FITS = 60;
const DESCRIPTION_FITS = 155;

let themeModel: ReturnType<typeof buildFieldModel> | undefined;
let seoModel: ReturnType<typeof buildFieldModel> | undefined;

function models() {
  const schema = schemaRuntime().settingsJsonSchema();
  themeModel ??= buildFieldModel(schema.properties!.theme!, 'theme', FIELD_HINTS);
  seoModel ??= buildFieldModel(
    { ...schema, properties: Object.fromEntries(Object.entries(schema.properties!).filter(([k]) => k !== 'theme')) },
    'settings',
    FIELD_HINTS,
  );
  return { theme: themeModel, seo: seoModel };
}

/** Issues under `theme.` (for the theme form) and the rest (for the settings form). */
export function splitSettingsIssues(issues: Issues): { theme: Issues; settings: Issues } {
  const theme: Issues = {};
  const settings: Issues = {};
  for (const [key, message] of Object.entries(issues)) {
    if (key === 'theme' || key.startsWith('theme.')) theme[key.slice('theme.'.length)] = message;
    else settings[key] = message;
  }
  return { theme, settings };
}

const cut = (text: string, fits: number) => (text.length > fits ? `${text.slice(0, fits - 1).trimEnd()}…` : text);

/** The font choice with a line of text set in it (the stacks need no download, so the sample is what visitors see). */
function FontField(props: FieldProps) {
  const ctx = useForm();
  const node = props.node as EnumField;
  const value = valueAt<string>(ctx, props.path) ?? '';
  return (
    <div class="font-field">
      <ChoiceControl
        id={controlId(ctx, props.path)}
        label={props.label ?? node.label}
        options={node.options}
        value={value}
        display="select"
        error={issueAt(ctx, props.path)}
        hint="Fonts already on visitors’ devices: nothing to download, so the page stays fast."
        onChange={(next) => ctx.set(props.path, next)}
      />
      <p class="font-sample" style={{ fontFamily: FONT_STACKS[value as FontStack] ?? FONT_STACKS.system }}>
        The quick brown fox jumps over the lazy dog.
      </p>
    </div>
  );
}

export function ThemePanel(props: { theme: Theme; issues: Issues; readOnly: boolean; onChange: (next: Theme) => void }) {
  const { theme } = props;
  const ctx: FormCtx = {
    scope: 'theme',
    root: theme,
    issues: props.issues,
    readOnly: props.readOnly,
    set: (path, value) => props.onChange(setIn(theme, path, value)),
    overrides: { fontStack: FontField },
    Field: FieldControl,
  };
  const checks = themeContrast(theme);
  const failing = checks.filter((c) => !c.passes);
  return (
    <FormContext.Provider value={ctx}>
      <section class="insp-panel" aria-labelledby="insp-theme-heading">
        <h3 id="insp-theme-heading">Theme</h3>
        <div class={failing.length ? 'contrast warn' : 'contrast'} role="status" aria-live="polite">
          <p class="contrast-title">
            {failing.length
              ? `${failing.length === 1 ? 'One colour pair is' : `${failing.length} colour pairs are`} hard to read (WCAG AA needs ${AA_TEXT}:1)`
              : `Colours are readable (WCAG AA, ${AA_TEXT}:1 or more)`}
          </p>
          <ul>
            {checks.map((c) => (
              <li key={c.pair} class={c.passes ? 'pass' : 'fail'}>
                {/* The sample shows the pair as it is, legible or not: drawn by CSS, so it is not text to check. */}
                <span
                  class="contrast-sample"
                  data-sample="Aa"
                  style={{ color: c.foreground, backgroundColor: c.background }}
                  aria-hidden="true"
                />
                <span>
                  {c.pair}: <strong>{c.ratio.toFixed(2)}:1</strong> {c.passes ? '— passes' : '— too low.'}
                  {c.passes ? null : (
                    <span class="contrast-fix">
                      {c.pair.startsWith('Text')
                        ? ' Make the text darker or the background lighter (or the other way round).'
                        : ' Pick a brand colour that is clearly darker or lighter: mid-tones work with neither white nor black labels.'}
                    </span>
                  )}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <FieldList fields={models().theme} path={[]} />
      </section>
    </FormContext.Provider>
  );
}

export function SeoPanel(props: { settings: PageSettings; issues: Issues; readOnly: boolean; onChange: (next: PageSettings) => void }) {
  const { settings } = props;
  const ctx: FormCtx = {
    scope: 'settings',
    root: settings,
    issues: props.issues,
    readOnly: props.readOnly,
    set: (path, value) => props.onChange(setIn(settings, path, value)),
    overrides: {},
    Field: FieldControl,
  };
  const title = settings.title ?? '';
  const description = settings.description ?? '';
  return (
    <FormContext.Provider value={ctx}>
      <section class="insp-panel" aria-labelledby="insp-seo-heading">
        <h3 id="insp-seo-heading">SEO and social</h3>
        <figure class="serp" aria-label="How the page may look in search results">
          <p class="serp-title">{cut(title, TITLE_FITS) || 'Untitled page'}</p>
          <p class="serp-text">
            {description ? cut(description, DESCRIPTION_FITS) : 'Search engines pick a snippet from the page when there is no description.'}
          </p>
          {settings.noindex ? <figcaption class="serp-note">Hidden from search engines (noindex).</figcaption> : null}
        </figure>
        {title.length > TITLE_FITS ? (
          <p class="length-hint" role="status">
            The title is {title.length} characters: search results show about {TITLE_FITS}, so the end will be cut.
          </p>
        ) : null}
        {description.length > DESCRIPTION_FITS ? (
          <p class="length-hint" role="status">
            The description is {description.length} characters: about {DESCRIPTION_FITS} are shown.
          </p>
        ) : null}
        <FieldList fields={models().seo} path={[]} />
      </section>
    </FormContext.Provider>
  );
}
