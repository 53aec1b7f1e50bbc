import { spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/*
 * `npm run lint:shape` (scripts/lint/codeShape.mjs, rules in .dependency-cruiser.cjs) keeps the
 * code's shape: imports run one way between folders, the credential uses one module of nodes/,
 * and one Capture item's code spans at most 15 files. Each test plants one breach in a copy of
 * the code and expects the check to name it.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SCRIPT = path.join(ROOT, 'scripts', 'lint', 'codeShape.mjs');

function checkShape(plant: (copy: string) => void = () => undefined) {
	const copy = mkdtempSync(path.join(tmpdir(), 'letpay-shape-'));
	try {
		for (const entry of ['nodes', 'credentials', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(path.join(ROOT, entry), path.join(copy, entry), { recursive: true });
		plant(copy);
		const child = spawnSync(process.execPath, [SCRIPT], { cwd: copy, encoding: 'utf8' });
		return { status: child.status, output: `${child.stdout}${child.stderr}` };
	} finally {
		rmSync(copy, { recursive: true, force: true });
	}
}

const addLine = (copy: string, file: string, line: string) => appendFileSync(path.join(copy, file), `\n${line}\n`);

describe('the code shape check', () => {
	test('the code as it is passes', () => {
		expect(checkShape()).toEqual({ status: 0, output: '' });
	});

	test('errors/ importing transport/ (which imports errors/) is a folder cycle', () => {
		const result = checkShape((copy) => addLine(copy, 'nodes/Letpay/errors/report.ts', "export { withDeadline } from '../transport/deadline';"));

		expect(result.status).toBe(1);
		expect(result.output).toContain('no-folder-cycle');
	});

	test('a file of actions/payment/ importing actions/ closes a cycle too', () => {
		const result = checkShape((copy) => addLine(copy, 'nodes/Letpay/actions/payment/lookup.ts', "export type { Prepared } from '../deduplicate';"));

		expect(result.output).toContain('no-import-from-parent-folder: nodes/Letpay/actions/payment/lookup.ts → nodes/Letpay/actions/deduplicate.ts');
	});

	test('the credential importing a second module of nodes/ fails', () => {
		const result = checkShape((copy) => addLine(copy, 'credentials/LetpayApi.credentials.ts', "export { withDeadline } from '../nodes/Letpay/transport/deadline';"));

		expect(result.output).toContain('credential-imports-sign-in-only: credentials/LetpayApi.credentials.ts → nodes/Letpay/transport/deadline.ts');
	});

	test("one Capture item's code spanning a 16th file fails", () => {
		const result = checkShape((copy) => addLine(copy, 'nodes/Letpay/actions/payment/capture.operation.ts', "export { router } from '../router';"));

		expect(result.output).toMatch(/capture\.operation\.ts reaches \d+ files \(at most 15\)/);
	});
});
