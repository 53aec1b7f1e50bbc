import { useTestbed } from '../helpers/testbed';

/*
 * The fault suite's figure says how many outputs the leak check looked at and how many secrets it
 * found. Both numbers are counted by the check itself: here a clean run is counted, and a secret
 * planted in the output is found and counted (and fails the run).
 */
describe("the leak check counts what it checks and what it finds (the figure's 'leaks')", () => {
	const testbed = useTestbed();

	test('a clean run: its output items and log lines are counted, no leak', async () => {
		testbed.emulator.preAuthorize({ paymentToken: 'leak-check-1', amount: '10.00' });
		const before = { ...testbed.leakChecks };

		await testbed.run({
			orders: [
				{ paymentToken: 'leak-check-1', amount: 10 },
				{ paymentToken: 'leak-check-2', amount: 10 },
			],
			onError: 'continueErrorOutput',
		});

		expect(testbed.leakChecks).toMatchObject({ runs: before.runs + 1, outputItems: before.outputItems + 2, leaks: 0 });
	});

	test('an API secret that reaches an output item is found, counted, and fails the run', async () => {
		// A builder who mapped the wrong field: the secret is a well-formed payment token, so the
		// node sends it, and the error item names the payment token it was given.
		const leaksBefore = testbed.leakChecks.leaks;

		await expect(
			testbed.run({ orders: [{ paymentToken: testbed.account.apiSecret, amount: 10 }], onError: 'continueErrorOutput' }),
		).rejects.toThrow(/^secrets leaked into the run data or the logs: san\*\*\*$/);

		expect(testbed.leakChecks.leaks).toBe(leaksBefore + 1);
	});
});
