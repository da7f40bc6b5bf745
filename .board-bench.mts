import { benchBoardUi } from './test/bench/board-ui.ts';
import { printTable } from './test/bench/report.ts';
printTable(await benchBoardUi());
