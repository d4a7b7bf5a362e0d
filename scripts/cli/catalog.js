// The verbs of the `lineage` CLI: one per pallet call and per runtime-API method of each area,
// with their arguments and docs as the chain's metadata gives them. The catalog is written from
// a running node (`lineage catalog --write`) into catalog.json so that help works with no node;
// a test checks it against the node's metadata.

import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kebab } from './args.js';

const here = dirname(fileURLToPath(import.meta.url));
export const catalogPath = join(here, 'catalog.json');

/** The areas: which pallets' calls and which runtime APIs' methods each one has. */
export const AREAS = {
  datasets: {
    summary: 'datanets: contributions, curation, snapshots, consent',
    pallets: ['datasets'],
    apis: ['datasetsApi'],
  },
  models: {
    summary: 'models, versions, lineage, attribution and taint',
    pallets: ['models'],
    apis: ['modelsApi'],
  },
  compute: {
    summary: 'providers, jobs, challenges and responsibility records',
    pallets: ['compute'],
    apis: ['computeApi'],
  },
  rewards: {
    summary: 'emission, eras, pending rewards and claims',
    pallets: ['rewards'],
    apis: ['rewardsApi'],
  },
  parameters: {
    summary: 'the governed economic parameters: the set in force, past versions, proposals',
    pallets: ['lineageParams'],
    apis: ['parametersApi'],
  },
  governance: {
    summary: 'referenda, conviction votes, preimages, the Council and the Treasury',
    pallets: [
      'referenda',
      'convictionVoting',
      'preimage',
      'council',
      'councilMembership',
      'treasury',
    ],
    apis: [],
  },
};

/** Areas with more than one pallet name their verbs `<pallet>.<call>`. */
function verbName(area, section, name) {
  const verb = kebab(name);
  return AREAS[area].pallets.length > 1 ? `${kebab(section)}.${verb}` : verb;
}

const docsOf = (docs) => docs.map((d) => d.toString());

/** Adds the JSON shape of a structured argument (a struct's fields, an enum's variants). */
function withShape(api, arg) {
  const raw = api
    .createType(arg.type)
    .toRawType()
    .replace(/"(\w+)_":/g, '"$1":');
  if (raw.includes('{') && raw.length <= 400) arg.shape = raw;
  return arg;
}

/** The catalog of every area's verbs, read from a connected `api`. */
export function buildCatalog(api) {
  const areas = {};
  for (const [area, def] of Object.entries(AREAS)) {
    const verbs = {};
    const add = (name, verb) => {
      if (verbs[name]) throw new Error(`two verbs named ${area} ${name}`);
      verbs[name] = verb;
    };
    for (const section of def.pallets) {
      if (!api.tx[section]) throw new Error(`the chain has no pallet ${section}`);
      for (const [method, fn] of Object.entries(api.tx[section])) {
        add(verbName(area, section, method), {
          kind: 'call',
          section,
          method,
          args: fn.meta.args.map((a) =>
            withShape(api, {
              name: a.name.toString(),
              type: a.type.toString(),
              typeName: a.typeName.isSome ? a.typeName.unwrap().toString() : '',
            }),
          ),
          docs: docsOf(fn.meta.docs),
        });
      }
    }
    for (const section of def.apis) {
      if (!api.call[section]) throw new Error(`the chain has no runtime API ${section}`);
      for (const [method, fn] of Object.entries(api.call[section])) {
        add(kebab(method), {
          kind: 'query',
          section,
          method,
          args: fn.meta.params.map((p) =>
            withShape(api, { name: p.name.toString(), type: p.type.toString(), typeName: '' }),
          ),
          docs: fn.meta.description.toString().split('\n'),
        });
      }
    }
    areas[area] = verbs;
  }
  const version = api.runtimeVersion;
  return {
    specName: version.specName.toString(),
    specVersion: version.specVersion.toNumber(),
    areas,
  };
}

/** The catalog written by `lineage catalog --write`. */
export function loadCatalog() {
  return JSON.parse(readFileSync(catalogPath, 'utf8'));
}

export function writeCatalog(catalog) {
  writeFileSync(catalogPath, JSON.stringify(catalog, null, 2) + '\n');
}
