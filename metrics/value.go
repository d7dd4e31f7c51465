package metrics

// Value reads one series from the registry as a scrape would: the value
// of the counter or gauge (a histogram's sample count) name whose labels
// are exactly labels. ok is false when there is no such series. For tests
// of the packages that report, and for a status page.
func (r *Recorder) Value(name string, labels map[string]string) (v float64, ok bool) {
	fams, err := r.reg.Gather()
	if err != nil {
		return 0, false
	}
	for _, f := range fams {
		if f.GetName() != name {
			continue
		}
	series:
		for _, m := range f.GetMetric() {
			if len(m.GetLabel()) != len(labels) {
				continue
			}
			for _, l := range m.GetLabel() {
				if want, has := labels[l.GetName()]; !has || want != l.GetValue() {
					continue series
				}
			}
			switch {
			case m.Counter != nil:
				return m.Counter.GetValue(), true
			case m.Gauge != nil:
				return m.Gauge.GetValue(), true
			case m.Histogram != nil:
				return float64(m.Histogram.GetSampleCount()), true
			}
		}
	}
	return 0, false
}
