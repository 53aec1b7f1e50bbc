import { isoDate, amountOf } from '../../nodes/Letpay/actions/payment/lookup';
test('d', () => {
for (const v of ['2026-11-24 10:00:00', '2026-11-24 10:00:00.0', '2026-11-24T10:00:00.000+0000', '2026-11-24T10:00:00-0300', '0000-00-00 00:00:00', '24/11/2026 10:00:00', 1764000000000, '', null]) console.log(JSON.stringify(v), '->', JSON.stringify(isoDate(v)));
for (const v of ['10,50', '1,000.00', ' 10.5 ', '10.', '.5', '1e3', 10.004999]) console.log(JSON.stringify(v), '->', amountOf(v));
});
