/**
 * Calls `work(index)` for every index in order of index, with at most `limit` calls running at
 * once. Once `stop()` is true no further index is started; running calls are awaited.
 */
export async function runBounded(
	count: number,
	limit: number,
	work: (index: number) => Promise<void>,
	stop: () => boolean,
): Promise<void> {
	let next = 0;
	const lane = async () => {
		while (next < count && !stop()) {
			const index = next++;
			await work(index);
		}
	};
	// At least one lane whatever `limit` holds (NaN would make none, and no item would ever run).
	const lanes = Number.isFinite(limit) ? Math.max(1, Math.min(limit, count)) : 1;
	await Promise.all(Array.from({ length: lanes }, lane));
}
