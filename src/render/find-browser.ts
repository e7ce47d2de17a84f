import { accessSync, constants, statSync } from 'node:fs';

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

/**
 * Why the browser the user named cannot be used, naming it and where it was given; undefined when
 * none was named (then the usual paths are tried) or the named one is executable.
 */
export function explicitBrowserProblem(option: string | undefined, env: Readonly<Record<string, string | undefined>>, isExecutable = executable): string | undefined {
  const [path, from] = option ? [option, '--browser'] : env.SWITCHBOARD_BROWSER ? [env.SWITCHBOARD_BROWSER, 'SWITCHBOARD_BROWSER'] : env.PUPPETEER_EXECUTABLE_PATH ? [env.PUPPETEER_EXECUTABLE_PATH, 'PUPPETEER_EXECUTABLE_PATH'] : [undefined, ''];
  if (!path || isExecutable(path)) return undefined;
  let why: string;
  try {
    why = statSync(path).isDirectory() ? 'is a folder, not a program' : 'is not executable';
  } catch {
    why = 'does not exist';
  }
  return `the browser ${path} (from ${from}) ${why}; point ${from} at a Chromium or Chrome executable`;
}

/** An executable regular file (a folder passes the X_OK check too). */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
