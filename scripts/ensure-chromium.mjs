// Browser tests run in Debian's chromium, never a downloaded browser. Install it when missing (as root),
// or stop with one line saying how.
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (existsSync(path)) process.exit(0);
if (process.env.CHROMIUM_PATH) {
  console.error(
    `CHROMIUM_PATH=${path} does not exist: point it at a Chromium binary, or unset it to use Debian's /usr/bin/chromium.`,
  );
  process.exit(1);
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt) {
  console.error(
    'Chromium is missing: run `sudo apt-get update && sudo apt-get install -y chromium` (Debian), or set CHROMIUM_PATH to a Chromium binary.',
  );
  process.exit(1);
}
console.log("Chromium is missing: installing Debian's chromium with apt-get…");
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
  stdio: 'inherit',
});
if (!existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing.`);
  process.exit(1);
}
