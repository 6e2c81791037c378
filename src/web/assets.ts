import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as sass from 'sass';

/**
 * The pages' one stylesheet: govuk-frontend's Sass, compiled with Cronfa's own typeface (the system's sans-serif;
 * GDS Transport is for GOV.UK services only) and Cronfa's additions. Compiled once per process, on first use, so no
 * build step is needed beyond `npm install`; served by Cronfa itself under a name that changes with its content.
 */
const require = createRequire(import.meta.url);
const GOVUK_ROOT = dirname(require.resolve('govuk-frontend/package.json'));
export const GOVUK_DIST = join(GOVUK_ROOT, 'dist');

const CRONFA_SCSS = `
@use "index" as govuk with (
  $govuk-font-family: (arial, sans-serif),
  $govuk-include-default-font-face: false
);
.cronfa-header { background: #1d4f4a; color: #fff; padding: 12px 0; border-bottom: 8px solid #7fb3a9; }
.cronfa-header__container { display: flex; flex-wrap: wrap; gap: 8px 24px; align-items: baseline; justify-content: space-between; }
.cronfa-header__name { @include govuk.govuk-font($size: 27, $weight: bold); color: #fff; text-decoration: none; }
.cronfa-header__name:link, .cronfa-header__name:visited { color: #fff; }
.cronfa-header__name:focus { @include govuk.govuk-focused-text; }
.cronfa-header__tagline { @include govuk.govuk-font($size: 16); color: #fff; display: block; }
.cronfa-header__links { display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; margin: 0; padding: 0; list-style: none; }
.cronfa-header__links a:link, .cronfa-header__links a:visited { color: #fff; }
.cronfa-header__links a:focus { color: govuk.$govuk-focus-text-colour; }
.cronfa-header__links .govuk-button { margin-bottom: 0; }
.cronfa-nav { border-bottom: 1px solid govuk.$govuk-border-colour; margin-bottom: 24px; }
.cronfa-nav__list { display: flex; flex-wrap: wrap; gap: 0 24px; margin: 0; padding: 0; list-style: none; }
.cronfa-nav__item { @include govuk.govuk-font($size: 19); padding: 12px 0; }
.cronfa-nav__item--current { border-bottom: 4px solid govuk.$govuk-brand-colour; font-weight: bold; }
.cronfa-inline-form { display: inline; }
.cronfa-chart { width: 100%; max-width: 720px; height: auto; }
.cronfa-chart text { font-family: arial, sans-serif; font-size: 14px; fill: govuk.$govuk-text-colour; }
.cronfa-chart__line { fill: none; stroke: govuk.$govuk-brand-colour; stroke-width: 3; }
.cronfa-chart__point { fill: govuk.$govuk-brand-colour; }
.cronfa-chart__axis { stroke: govuk.$govuk-secondary-text-colour; stroke-width: 1; }
.cronfa-chart__grid { stroke: govuk.$govuk-border-colour; stroke-width: 1; }
.cronfa-key { @include govuk.govuk-font($size: 24); font-family: monospace; overflow-wrap: anywhere; word-spacing: 0.3em; }
.cronfa-figure { @include govuk.govuk-font($size: 48, $weight: bold); margin: 0 0 8px; }
.cronfa-table-wrapper { overflow-x: auto; }
.cronfa-table-wrapper:focus { @include govuk.govuk-focused-box; }
`;

let compiled: { css: string; name: string } | undefined;

export function stylesheet(): { css: string; name: string } {
  if (!compiled) {
    const { css } = sass.compileString(CRONFA_SCSS, {
      loadPaths: [join(GOVUK_DIST, 'govuk')],
      style: 'compressed',
      quietDeps: true,
    });
    const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
    compiled = { css, name: `cronfa-${hash}.css` };
  }
  return compiled;
}
