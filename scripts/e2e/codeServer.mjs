// code-server: installed from npm into .vscode-test/ (the only real VS Code that runs here), started
// in its own process group so that stopping it also ends its extension host and our language server.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';

/** The last code-server (VS Code 1.100.3) that runs on Node 20; 4.103+ needs Node 24. */
export const CODE_SERVER_VERSION = '4.100.3';
/** What code-server 4.100.3's nested @vscode/ripgrep postinstall looks for in its cache (it would fetch it from GitHub). */
const RIPGREP_CACHE = { dir: 'vscode-ripgrep-cache-1.15.11', file: 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz' };

export function codeServerBin(work) {
  return path.join(work, 'code-server', 'node_modules', '.bin', 'code-server');
}

function installedVersion(work) {
  const pkg = path.join(work, 'code-server', 'node_modules', 'code-server', 'package.json');
  if (!fs.existsSync(pkg) || !fs.existsSync(codeServerBin(work))) return null;
  // A finished install has the nested VS Code's node_modules; an interrupted one does not.
  const nested = path.join(work, 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!fs.existsSync(nested)) return null;
  return JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
}

/** Installs code-server into `<work>/code-server` unless that exact version is there already. */
export function ensureCodeServer(work, log) {
  if (installedVersion(work) === CODE_SERVER_VERSION) {
    log(`code-server ${CODE_SERVER_VERSION} already in ${path.relative(process.cwd(), work) || work}`);
    return;
  }
  const dir = path.join(work, 'code-server');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep (rg) not found: install the Debian package "ripgrep" (code-server\'s install needs it)');
  // Temporary files (and the ripgrep cache that the postinstall reads) stay inside the repo's scratch dir.
  const tmp = path.join(work, 'tmp');
  fs.mkdirSync(path.join(tmp, RIPGREP_CACHE.dir), { recursive: true });
  const tar = spawnSync('tar', ['czf', path.join(tmp, RIPGREP_CACHE.dir, RIPGREP_CACHE.file), '-C', path.dirname(rg), path.basename(rg)], { stdio: 'inherit' });
  if (tar.status !== 0) throw new Error('could not seed the ripgrep cache from Debian\'s rg');
  // npm 11 runs dependencies' install scripts only when allowed: allow code-server's and argon2's here,
  // in code-server's own folder, so the project's package.json keeps denying everything else.
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    `${JSON.stringify({ name: 'refusal-lens-code-server', private: true, allowScripts: { 'code-server': true, argon2: true } }, null, 2)}\n`,
  );
  // node-gyp builds code-server's native modules against this Node's own headers (it would download them)
  const nodedir = path.resolve(path.dirname(process.execPath), '..');
  if (!fs.existsSync(path.join(nodedir, 'include', 'node', 'node.h'))) {
    throw new Error(`Node's C headers are not in ${path.join(nodedir, 'include', 'node')} (code-server's native modules are built against them): use a Node 20 that ships them (NodeSource's nodejs package, or nodejs.org's tarball)`);
  }
  log(`installing code-server ${CODE_SERVER_VERSION} from npm (a few minutes)`);
  const env = {
    ...process.env,
    TMPDIR: tmp,
    npm_config_unsafe_perm: 'true', // its postinstall refuses to run as root without it
    npm_config_dangerously_allow_all_scripts: 'true', // the nested lib/vscode install's own dependencies' scripts
    npm_config_yes: 'true', // node-pty runs `npx node-gyp`
    npm_config_nodedir: nodedir,
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const r = spawnSync('npm', ['install', '--no-save', `code-server@${CODE_SERVER_VERSION}`], { cwd: dir, env, stdio: 'inherit' });
  if (r.status !== 0 || installedVersion(work) !== CODE_SERVER_VERSION) {
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${r.status}); see the npm output above`);
  }
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'window.commandCenter': false,
  'editor.minimap.enabled': false,
  'files.simpleDialog.enable': true,
  // the workspace sits inside the project's git checkout: no "open the parent repository?" toast
  'git.openRepositoryInParentFolders': 'never',
};

/**
 * Installs a .vsix into a profile (user data + extensions dir) that `startCodeServer` then uses.
 * `--install-extension` needs the parent folders to exist.
 */
export function installExtension(work, profileDir, vsix) {
  fs.mkdirSync(path.join(profileDir, 'data'), { recursive: true });
  fs.mkdirSync(path.join(profileDir, 'extensions'), { recursive: true });
  const r = spawnSync(
    codeServerBin(work),
    ['--user-data-dir', path.join(profileDir, 'data'), '--extensions-dir', path.join(profileDir, 'extensions'), '--install-extension', vsix, '--force'],
    { encoding: 'utf8' },
  );
  if (r.status !== 0 || !/was successfully installed/.test(r.stdout)) {
    throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  }
}

/**
 * Starts code-server on a free port with its own profile and waits for /healthz.
 * `trust`: false leaves workspace trust on, so folders open in restricted mode.
 * Returns `{ url, stop }`; `stop()` kills the whole process group.
 */
export async function startCodeServer({ work, profileDir, settings = {}, trust = true, log }) {
  const port = await freePort();
  const dataDir = path.join(profileDir, 'data');
  fs.mkdirSync(path.join(dataDir, 'User'), { recursive: true });
  fs.mkdirSync(path.join(profileDir, 'extensions'), { recursive: true });
  fs.writeFileSync(
    path.join(dataDir, 'User', 'settings.json'),
    JSON.stringify({ ...USER_SETTINGS, 'security.workspace.trust.enabled': !trust, ...settings }, null, 2),
  );
  const config = path.join(profileDir, 'config.yaml');
  fs.writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const logFile = path.join(profileDir, 'code-server.log');
  const out = fs.openSync(logFile, 'w');
  const args = [
    '--config', config,
    '--user-data-dir', dataDir,
    '--extensions-dir', path.join(profileDir, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust ? ['--disable-workspace-trust'] : []),
  ];
  // detached: setsid(2), a new session and process group, so stop() reaches the extension host and the
  // language server too (they would outlive a plain kill of code-server).
  const child = spawn(codeServerBin(work), args, { stdio: ['ignore', out, out], detached: true });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));

  const stop = async () => {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && groupAlive(child.pid)) await delay(100);
    if (groupAlive(child.pid)) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
    }
  };
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60000;
  for (;;) {
    if (exited) throw new Error(`code-server exited during start-up (${JSON.stringify(exited)}); log:\n${fs.readFileSync(logFile, 'utf8')}`);
    if (await healthy(url)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer ${url}/healthz within 60 s; log:\n${fs.readFileSync(logFile, 'utf8')}`);
    }
    await delay(250);
  }
  log?.(`code-server ${url} (log ${path.relative(process.cwd(), logFile)})`);
  return { url, port, pid: child.pid, logFile, dataDir, stop };
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

async function healthy(url) {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2000) });
    return res.ok;
  } catch {
    return false;
  }
}

// Polling interval for process/health checks only; tests never wait on fixed sleeps.
function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
