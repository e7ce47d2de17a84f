import { accessSync, constants } from 'node:fs';

/** Where Chromium-family browsers usually live, in the order we try them. */
export const BROWSER_CANDIDATES = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export const BROWSER_HELP = [
  'no Chromium or Chrome found to render with.',
  '  Install one (Debian/Ubuntu: apt-get install -y --no-install-recommends chromium fonts-liberation),',
  '  or point to it with --browser <path> or SWITCHBOARD_BROWSER=<path>.',
].join('\n');

/** The browser to render with: the option, then SWITCHBOARD_BROWSER / PUPPETEER_EXECUTABLE_PATH, then the usual paths. */
export function findBrowser(option: string | undefined, env: Readonly<Record<string, string | undefined>>, isExecutable = executable): string | undefined {
  const explicit = option ?? env.SWITCHBOARD_BROWSER ?? env.PUPPETEER_EXECUTABLE_PATH;
  if (explicit) return isExecutable(explicit) ? explicit : undefined;
  return BROWSER_CANDIDATES.find(isExecutable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
