import { readmeErrorTable, renderErrorTable } from '../../scripts/docs/errorTable';

describe("the README's error table", () => {
	test('is the one the catalogue makes (run `npm run docs` after changing the catalogue)', () => {
		expect(readmeErrorTable()).toBe(renderErrorTable());
	});

	test('names every outcome and every piece of retry advice the node can give', () => {
		const table = renderErrorTable();
		for (const outcome of ['not_captured', 'unknown', 'already_captured_or_expired', 'handled_by_earlier_item', 'no_money_moved']) {
			expect(table).toContain(`\`${outcome}\``);
		}
		for (const advice of ['never', 'after_fixing_input', 'later', 'check_status_first']) expect(table).toContain(`\`${advice}\``);
	});
});
