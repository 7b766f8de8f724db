/**
 * The report: every phase's table rows in phase order, then resident memory per process,
 * printed as one aligned table with PASS/FAIL per budget and a count of passed budgets.
 */

/** Rows of every loaded phase, then memory (ours judged per process, the peer's shown). */
export function tableRows(modules, results, budget) {
  const rows = [];
  for (const mod of Object.values(modules))
    rows.push(...(mod.rows?.(results.phases, budget) ?? []));
  const end = results.memory?.end;
  if (end) {
    for (const [name, m] of Object.entries(end)) {
      if (name === 'after') continue;
      const ours = name.startsWith('our ');
      rows.push({
        name: `RSS after the run, ${name}`,
        value: m.rssMb,
        display: `${m.rssMb.toFixed(0)} MB (peak ${m.hwmMb.toFixed(0)} MB)`,
        budget: ours ? `≤ ${budget.rssMb} MB` : '(peer)',
        pass: ours ? m.rssMb <= budget.rssMb : undefined,
      });
    }
  }
  // A figure that could not be measured is no verdict either way.
  return rows.map((r) => ({
    ...r,
    pass: r.value === null || r.value === undefined || Number.isNaN(r.value) ? null : r.pass,
  }));
}

export function printTable(results, settings) {
  const rows = results.budgets.map((b) => [
    b.name,
    b.display,
    b.budget,
    b.pass === true ? 'PASS' : b.pass === false ? 'FAIL' : '',
  ]);
  const head = ['measure', 'value', 'budget', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const m = results.machine;
  const peer = results.peer
    ? ` · peer ${results.peer.name} ${results.peer.version} (rate limiter off)`
    : '';
  console.log(
    `\naccount-recovery bench · ${m.cores} cores · ${m.cpu} · Node ${m.node} · BCRYPT_COST ${settings.bcryptCost}${peer}`,
  );
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  const judged = results.budgets.filter((b) => b.pass === true || b.pass === false);
  results.summary = { passed: judged.filter((b) => b.pass).length, total: judged.length };
  console.log(`\n${results.summary.passed} of ${results.summary.total} budgets passed`);
  for (const text of results.notes) console.log(`note: ${text}`);
}
