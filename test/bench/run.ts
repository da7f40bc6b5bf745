/**
 * `npm run bench`: every performance budget named in an issue, measured against a baseline in
 * the same run. Prints a table and writes `.bench/results.json`. A missed budget is reported as
 * MISSED and makes the exit code 1.
 */
import { benchApp } from './app';
import { benchBoardUi } from './board-ui';
import { benchCaptureLoad } from './capture-load';
import { benchDashboard } from './dashboard';
import { benchEditor } from './editor';
import { benchFoundation } from './foundation';
import { benchHandoff } from './handoff';
import { benchLanding } from './landing';
import { benchLeads } from './leads';
import { benchPipeline } from './pipeline';
import { benchPublish } from './publish';
import { passed, printTable, writeJson, type BenchRow } from './report';
import { benchTracking } from './tracking';

const rows: BenchRow[] = [];
rows.push(...(await benchFoundation()));
rows.push(...(await benchLanding()));
rows.push(...(await benchTracking()));
rows.push(...(await benchPipeline()));
rows.push(...(await benchHandoff()));
rows.push(...(await benchApp()));
rows.push(...(await benchEditor()));
rows.push(...(await benchPublish()));
rows.push(...(await benchLeads()));
rows.push(...(await benchBoardUi()));
rows.push(...(await benchDashboard()));
rows.push(...(await benchCaptureLoad()));

printTable(rows);
writeJson(rows);
const missed = rows.filter((r) => passed(r) === false);
console.log(missed.length ? `\n${missed.length} budget(s) missed.` : '\nAll budgets met.');
console.log('Results written to .bench/results.json');
process.exitCode = missed.length ? 1 : 0;
