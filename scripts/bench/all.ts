/**
 * `npm run bench`: every benchmark in scripts/bench/, one after another on the throw-away PostgreSQL server that
 * scripts/with-postgres.sh started, each with the service as its own process; their output as it comes, then one
 * table of figure, value, ceiling, ratio and target, read from each benchmark's `BENCH` line.
 */
import { spawn } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';

const BENCHMARKS = ['postings', 'purchases', 'statements', 'reconcile', 'isolation', 'pages'];

interface Row {
  figure: string;
  value: string;
  ceiling: string;
  ratio: string;
  target: string;
}

function run(name: string): Promise<Record<string, string>> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/bench/${name}.ts`], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let figures: Record<string, string> = {};
    let buffered = '';
    child.stdout.on('data', (data: Buffer) => {
      process.stdout.write(data);
      buffered += data.toString();
      for (let at = buffered.indexOf('\n'); at >= 0; at = buffered.indexOf('\n')) {
        const line = buffered.slice(0, at);
        buffered = buffered.slice(at + 1);
        if (line.startsWith('BENCH '))
          figures = Object.fromEntries(
            line
              .slice(6)
              .split(' ')
              .map((pair) => pair.split('=') as [string, string]),
          );
      }
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(figures) : reject(new Error(`${name} benchmark exited with ${code}`)),
    );
  });
}

const ratio = (value: number, ceiling: number, asTimes = false) =>
  asTimes ? `${(value / ceiling).toFixed(1)}×` : `${Math.round((value / ceiling) * 100)}%`;

function rows(all: Record<string, Record<string, string>>): Row[] {
  const p = all.postings;
  const u = all.purchases;
  const s = all.statements;
  const r = all.reconcile;
  const table: Row[] = [];
  if (p) {
    const name = Object.keys(p).find((k) => k.endsWith('entries_per_s'))!;
    table.push({
      figure: 'contributions via HTTP, entries/s',
      value: p[name]!,
      ceiling: p.ceiling!,
      ratio: ratio(Number(p[name]), Number(p.ceiling)),
      target: '≥ 50%',
    });
    table.push({
      figure: 'contributions, latency p50 / p99 ms',
      value: `${p.p50_ms} / ${p.p99_ms}`,
      ceiling: '',
      ratio: '',
      target: '',
    });
    table.push({ figure: 'balance reads, requests/s', value: p.balance_rps!, ceiling: '', ratio: '', target: '' });
  }
  if (u) {
    const name = Object.keys(u).find((k) => k.endsWith('entries_per_s'))!;
    table.push({
      figure: 'purchases via HTTP, entries/s',
      value: u[name]!,
      ceiling: u.ceiling!,
      ratio: ratio(Number(u[name]), Number(u.ceiling)),
      target: '≥ 50%',
    });
  }
  if (s) {
    const name = Object.keys(s).find((k) => k.endsWith('la_json_ms'))!;
    table.push({
      figure: 'LA statement, 10,000 holders, JSON, ms',
      value: s[name]!,
      ceiling: `${s.bare_sql_ms} (bare SQL)`,
      ratio: ratio(Number(s[name]), Number(s.bare_sql_ms), true),
      target: '≤ 3×',
    });
    table.push({
      figure: 'LA statement, CSV, ms',
      value: s.la_csv_ms!,
      ceiling: `${s.bare_sql_ms} (bare SQL)`,
      ratio: ratio(Number(s.la_csv_ms), Number(s.bare_sql_ms), true),
      target: '≤ 3×',
    });
    table.push({
      figure: 'holder statement PDFs per second (4 clients)',
      value: s.pdfs_per_s!,
      ceiling: '',
      ratio: '',
      target: '≥ 100',
    });
  }
  if (r) {
    const name = Object.keys(r).find((k) => k.endsWith('total_s'))!;
    table.push({
      figure: 'import + auto-match 100,000 bank lines, s',
      value: `${r[name]} (${r.import_s} + ${r.match_s})`,
      ceiling: '',
      ratio: '',
      target: '< 10 s',
    });
    table.push({
      figure: 'growth 10,000 → 100,000 lines',
      value: `${r.growth}×`,
      ceiling: `${r.nlogn}× (n log n)`,
      ratio: ratio(Number(r.growth), Number(r.nlogn), true),
      target: '≤ n log n',
    });
  }
  const g = all.pages;
  if (g) {
    table.push({
      figure: '"Your money" page, 32 signed-in holders, pages/s',
      value: `${g.page_rps} (p50 ${g.page_p50_ms} / p99 ${g.page_p99_ms} ms)`,
      ceiling: `${g.rest_rps} REST balance reads/s (p50 ${g.rest_p50_ms} / p99 ${g.rest_p99_ms} ms)`,
      ratio: ratio(Number(g.page_rps), Number(g.rest_rps)),
      target: '≥ 50%',
    });
    table.push({
      figure: '"Your holders", 5,000 holders in 10 co-ops: time to first byte, ms',
      value: `${g.holders_ttfb_ms} (worst ${g.holders_ttfb_worst_ms})`,
      ceiling: '',
      ratio: '',
      target: '< 300',
    });
  }
  const i = all.isolation;
  if (i) {
    const lines = Number(Object.entries(i).find(([k]) => k.endsWith('lines'))![1]).toLocaleString('en-GB');
    const phases: [string, string][] = [
      ['import', `co-op A imports ${lines} bank lines (${i.mb} MB)`],
      ['reimport', 'co-op A imports them again (all duplicates)'],
      ['open', 'co-op A reads its reconciliation, nothing matched'],
      ['match', 'co-op A auto-matches them'],
      ['summary', 'co-op A reads its reconciliation'],
    ];
    for (const [key, label] of phases) {
      table.push({
        figure: `${label}: s; co-op B's balance reads p50 / p99 / max ms`,
        value: `${i[`${key}_s`]}; ${i[`${key}_p50_ms`]} / ${i[`${key}_p99_ms`]} / ${i[`${key}_max_ms`]}`,
        ceiling: `${i.quiet_p99_ms} (B's p99 alone)`,
        ratio: '',
        target: 'p99 < 250',
      });
    }
  }
  return table;
}

async function main(): Promise<void> {
  const all: Record<string, Record<string, string>> = {};
  for (const name of BENCHMARKS) {
    console.log(`\n== ${name} ==`);
    // Benchmark keys are prefixed with the benchmark's name (postings.entries_per_s=…).
    all[name] = await run(name);
  }
  const table = rows(all);
  const header: Row = { figure: 'figure', value: 'value', ceiling: 'ceiling', ratio: 'ratio', target: 'target' };
  console.log(
    `\n${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  );
  for (const row of [header, ...table])
    console.log(`| ${row.figure} | ${row.value} | ${row.ceiling} | ${row.ratio} | ${row.target} |`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
