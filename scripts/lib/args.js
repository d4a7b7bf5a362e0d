// Options of the scripts that are run with `node script.js --name value …`.

/**
 * The value given as `--name value` (`true` for a `--name` followed by another option or
 * nothing), or `fallback` when the option is absent.
 */
export function flag(name, fallback, argv = process.argv.slice(2)) {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = argv[i + 1];
  return value === undefined || value.startsWith('--') ? true : value;
}
