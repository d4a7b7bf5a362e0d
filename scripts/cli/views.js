// Runtime-API answers that read better as labelled text than as their structure, by
// `section.method`: each view gets the answer, the verb's argument values and `out` (see
// `readable` in output.js) and returns the text to print. `--json` prints the structure.

import { plain, printValue, resultType } from './output.js';

/** `RewardsApi.pending`: what an account can claim and from where, with the verbs that claim it. */
function pending(result, [who, startAfter, limit], out) {
  const lines = [`Pending rewards of ${out.account(who)}:`];
  lines.push(
    `  as model owner and provider: ${out.amount(result.account)}` +
      (result.account.isZero() ? '' : '  (claim: lineage rewards claim-account)'),
  );
  if (result.datasets.length === 0) {
    lines.push(`  as contributor: nothing${startAfter ? ' after that position' : ''}`);
  } else {
    lines.push('  as contributor, per dataset and first snapshot of the points:');
    for (const [dataset, first, claimable, emission] of result.datasets) {
      lines.push(
        `    dataset ${dataset}, snapshot ${first}: ${out.amount(claimable)} claimable, ` +
          `of which ${out.amount(emission)} emission` +
          (claimable.isZero() ? '' : `  (claim: lineage rewards claim ${dataset} ${first})`),
      );
    }
  }
  if (result.datasets.length >= limit) {
    const [dataset, first] = result.datasets[result.datasets.length - 1];
    lines.push(
      `  more positions: lineage rewards pending ${who} --start-after '[${dataset},${first}]'`,
    );
  }
  return lines.join('\n');
}

export const QUERY_VIEWS = {
  'rewardsApi.pending': pending,
};

/**
 * Calls a runtime-API verb and prints its answer, read by the type the metadata gives it:
 * `source` is `api` (the best block) or `api.at(hash)` (a given block).
 */
export async function showQuery(api, source, verb, values, flags, out) {
  const result = await source.call[verb.section][verb.method](...values);
  if (flags.json) return printValue(plain(result));
  const view = QUERY_VIEWS[`${verb.section}.${verb.method}`];
  if (view) return console.log(view(result, values, out));
  const shown = out.value(result, resultType(api, verb.section, verb.method));
  const written = (v) => (v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v));
  if (shown === null)
    console.log(
      `none: ${verb.section}.${verb.method} has no answer for ${values.map(written).join(', ')}`,
    );
  else printValue(shown);
}
