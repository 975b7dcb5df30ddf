package wire

import "testing"

// meterValuesPayload is a typical three-phase MeterValues.req: one meterValue, nine samples.
const meterValuesPayload = `{"connectorId":1,"transactionId":1234567,"meterValue":[{"timestamp":"2024-05-06T07:08:09.123Z","sampledValue":[
{"value":"1234567.8","context":"Sample.Periodic","measurand":"Energy.Active.Import.Register","unit":"Wh"},
{"value":"11040","context":"Sample.Periodic","measurand":"Power.Active.Import","unit":"W"},
{"value":"16.01","context":"Sample.Periodic","measurand":"Current.Import","phase":"L1","unit":"A"},
{"value":"16.02","context":"Sample.Periodic","measurand":"Current.Import","phase":"L2","unit":"A"},
{"value":"15.98","context":"Sample.Periodic","measurand":"Current.Import","phase":"L3","unit":"A"},
{"value":"230.1","context":"Sample.Periodic","measurand":"Voltage","phase":"L1-N","unit":"V"},
{"value":"229.8","context":"Sample.Periodic","measurand":"Voltage","phase":"L2-N","unit":"V"},
{"value":"231.0","context":"Sample.Periodic","measurand":"Voltage","phase":"L3-N","unit":"V"},
{"value":"54","context":"Sample.Periodic","measurand":"SoC","unit":"Percent"}]}]}`

func BenchmarkDecodeMeterValues(b *testing.B) {
	data := []byte(meterValuesPayload)
	for _, mode := range []struct {
		name string
		opt  Options
	}{{"lenient", Options{}}, {"strict", Options{Strict: true}}} {
		b.Run(mode.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				var v tMeterValues
				if _, err := Decode(data, &v, mode.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
