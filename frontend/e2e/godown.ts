/**
 * A real node for the browser tests and the page tests: a fresh `godown
 * demo` consortium (or, to show what a node that is no demo does, a plain
 * `godown serve` of a one-organisation ledger) on SQLite in a temporary
 * directory, on a free port, serving the built dashboard when asked. Always
 * stopped with SIGTERM and cleaned up, pass or fail.
 */

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { access, constants, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export const FRONTEND_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DIST_DIR = path.join(FRONTEND_DIR, 'dist');

/** How long a missing binary is waited for: a rebuild replaces it, and it is briefly absent. */
const BINARY_GRACE_MS = Number(process.env.GODOWN_BIN_WAIT_MS ?? 60_000);
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export function godownBinary(): string {
  return path.resolve(FRONTEND_DIR, process.env.GODOWN_BIN ?? '../target/debug/godown');
}

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binary, waiting out a rebuild that has it briefly missing; a clear failure if it never comes. */
export async function findGodown(): Promise<string> {
  const bin = godownBinary();
  if (await executable(bin)) return bin;
  console.warn(`godown: ${bin} is missing; waiting up to ${BINARY_GRACE_MS / 1000}s in case it is being rebuilt`);
  const deadline = Date.now() + BINARY_GRACE_MS;
  while (Date.now() < deadline) {
    await delay(1000);
    if (await executable(bin)) return bin;
  }
  throw new Error(
    `The godown binary is missing: no executable at ${bin}.\n` +
      'Build the node first (from the repository root: `cargo build --bin godown`, or `make frontend-test` / `make e2e` for build and test), ' +
      'or point GODOWN_BIN at a godown binary (a relative path is read from frontend/).',
  );
}

export async function checkDist(): Promise<void> {
  try {
    await access(path.join(DIST_DIR, 'index.html'));
  } catch {
    throw new Error(`The dashboard is not built: ${DIST_DIR}/index.html is missing. Run \`npm run build\` first.`);
  }
}

/** A port the kernel just handed out; the node binds it moments later, and a lost race is retried. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('no TCP port from the kernel'));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}

export interface GodownNode {
  baseUrl: string;
  dataDir: string;
  /** Everything the node printed so far. */
  log(): string;
  /** The invitation e-mails the demo node wrote, oldest first. */
  mail(): Promise<string[]>;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();

// If the test process ends without its hooks (a crash, Ctrl-C), do not leave a node listening.
process.once('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

async function waitReady(child: ChildProcess, baseUrl: string, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  // The readiness probe is the node's own: /healthz while the process runs, /readyz once the log is loaded.
  for (const route of ['/healthz', '/readyz']) {
    for (;;) {
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(`godown exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
      }
      try {
        const res = await fetch(baseUrl + route, { signal: AbortSignal.timeout(2000) });
        if (res.status === 200) break;
      } catch {
        // Not listening yet.
      }
      if (Date.now() > deadline) throw new Error(`godown was not ready at ${baseUrl}${route} within ${READY_TIMEOUT_MS / 1000}s:\n${output()}`);
      await delay(100);
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const stopped = await Promise.race([exited.then(() => true), delay(STOP_TIMEOUT_MS).then(() => false)]);
    if (!stopped) {
      console.warn(`godown: the node did not stop within ${STOP_TIMEOUT_MS / 1000}s of SIGTERM; killing it`);
      child.kill('SIGKILL');
      await exited;
    } else if (child.exitCode !== 0) {
      // The node stops gracefully on SIGTERM; anything else is worth a look, though not this test's failure.
      console.warn(`godown: the node exited with ${child.exitCode ?? child.signalCode} on SIGTERM`);
    }
  }
  running.delete(child);
}

/**
 * The child's environment: no GODOWN_* settings of the developer's shell leak
 * into the node, nor a DATABASE_URL that would take `serve` off its fresh SQLite.
 */
function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { NO_COLOR: '1' };
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('GODOWN_') && k !== 'DATABASE_URL') env[k] = v;
  }
  return env;
}

/** `demo`: the seeded consortium of `godown demo`. `serve`: `godown serve` of a ledger with only its operator. */
export type NodeKind = 'demo' | 'serve';

export interface StartOptions {
  kind?: NodeKind;
  /** Serve the built `dist/` at `/`, as the browser tests need; the page tests render the dashboard themselves. */
  dashboard?: boolean;
}

/**
 * The genesis of a plain `godown serve`: an operator whose admin's key is
 * made here and thrown away, because nothing is signed on that ledger.
 */
async function writeGenesis(dataDir: string): Promise<string> {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  const key = Buffer.from(String(jwk.x), 'base64url').toString('base64');
  const file = path.join(dataDir, 'genesis.json');
  const genesis = {
    origin: 'serve.godown.test/ledger',
    operator: { org: 'operator', name: 'Godown Operations', admin: { user: 'operator.admin', name: 'Operator Admin', key } },
    founders: [],
  };
  await writeFile(file, JSON.stringify(genesis));
  return file;
}

async function commandLine(kind: NodeKind, dataDir: string, port: number, dashboard: boolean): Promise<string[]> {
  const listen = ['--data', dataDir, '--listen', `127.0.0.1:${port}`];
  // Without the dashboard, a folder that does not exist: the node then serves the API only.
  const frontend = ['--frontend', dashboard ? DIST_DIR : path.join(dataDir, 'no-dashboard')];
  if (kind === 'demo') return ['demo', ...listen, ...frontend];
  return ['serve', ...listen, ...frontend, '--genesis', await writeGenesis(dataDir), '--mail-dir', path.join(dataDir, 'mail')];
}

async function startOnce(bin: string, dataDir: string, kind: NodeKind, dashboard: boolean): Promise<GodownNode> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(bin, await commandLine(kind, dataDir, port, dashboard), {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  running.add(child);
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });

  try {
    await spawned;
    await waitReady(child, baseUrl, () => output);
  } catch (e) {
    await stopChild(child);
    throw e;
  }

  return {
    baseUrl,
    dataDir,
    log: () => output,
    async mail() {
      const dir = path.join(dataDir, 'mail');
      const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith('.eml')).sort();
      return Promise.all(names.map((n) => readFile(path.join(dir, n), 'utf8')));
    },
    stop: () => stopChild(child),
  };
}

/**
 * Starts `godown demo` (or a plain `godown serve`), by default serving the
 * built dashboard; a port taken between choosing and binding, or a binary
 * mid-rebuild, is retried.
 */
export async function startGodown({ kind = 'demo', dashboard = true }: StartOptions = {}): Promise<GodownNode> {
  if (dashboard) await checkDist();
  let lastError: unknown = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    const bin = await findGodown();
    const dataDir = await mkdtemp(path.join(tmpdir(), `godown-${kind}-`));
    try {
      const node = await startOnce(bin, dataDir, kind, dashboard);
      return {
        ...node,
        async stop() {
          try {
            await node.stop();
          } finally {
            await rm(dataDir, { recursive: true, force: true });
          }
        },
      };
    } catch (e) {
      lastError = e;
      await rm(dataDir, { recursive: true, force: true });
      console.warn(`godown: starting the node failed (attempt ${attempt + 1}): ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  }
  throw lastError;
}

/** One run of `godown verify --proof`: the trust it was given, its exit status and what it printed. */
export interface OfflineCheck {
  args: string[];
  status: number | null;
  output: string;
}

/**
 * Checks a tlog-proof file offline with the real binary, as a member would
 * who trusts only the keys given: with the log key alone; and, when the file
 * carries `cosigned` witness cosignatures, with the witnesses' keys and that
 * many required. Nothing reaches the node: the file and the keys are all it has.
 */
export async function verifyProofOffline(
  file: string,
  keys: { log: string; witnesses: readonly string[] },
  cosigned: number,
  policyFile?: string,
): Promise<OfflineCheck[]> {
  const bin = await findGodown();
  const trusts = [['--log-vkey', keys.log]];
  if (cosigned > 0) {
    trusts.push(['--log-vkey', keys.log, ...keys.witnesses.flatMap((w) => ['--witness-vkey', w]), '--min-witnesses', String(cosigned)]);
  }
  // The policy file alone, as the dashboard's hint says (the demo writes its own).
  if (policyFile) trusts.push(['--policy', policyFile]);
  return trusts.map((trust) => {
    const args = ['verify', '--proof', file, ...trust];
    const run = spawnSync(bin, args, { encoding: 'utf8', env: childEnv(), timeout: 30_000 });
    return { args, status: run.status, output: `${run.stdout}${run.stderr}${run.error ? String(run.error) : ''}` };
  });
}

/** Writes `text` to a file of its own in a fresh temporary directory, for the binary to read; removed by `done`. */
export async function tempFile(name: string, text: string): Promise<{ file: string; done: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'godown-proof-'));
  const file = path.join(dir, name);
  await writeFile(file, text, 'utf8');
  return { file, done: () => rm(dir, { recursive: true, force: true }) };
}
