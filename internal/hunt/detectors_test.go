package hunt

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDetectorsDocumented holds docs/detectors.md's table of hunt's findings
// to the table of detectors, row for row, and every detector to a kernel of
// the corpus that it must find.
func TestDetectorsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/detectors.md")
	require.NoError(t, err)
	var documented []Kind
	for _, m := range regexp.MustCompile("(?m)^\\| `([a-z-]+)` \\|").FindAllSubmatch(doc, -1) {
		documented = append(documented, Kind(m[1]))
	}
	var kinds []Kind
	for _, d := range Detectors {
		kinds = append(kinds, d.Kind)
		assert.NotEmpty(t, d.Doc, "%s: no doc line", d.Kind)
		assert.NotEmpty(t, d.Rule.Name, "%s: no SARIF rule name", d.Kind)
		assert.NotEmpty(t, d.Rule.Short, "%s: no SARIF description", d.Kind)
		assert.NotEmpty(t, d.Rule.Help, "%s: no SARIF help", d.Kind)
	}
	assert.Equal(t, kinds, documented, "docs/detectors.md lists the detectors of the table, in its order")

	kernels := map[Kind]int{}
	for _, k := range loadCorpus(t, "testdata/corpus/corpus.json") {
		kernels[k.Detector]++
	}
	for _, d := range Detectors {
		assert.NotZero(t, kernels[d.Kind], "%s: no corpus kernel names it", d.Kind)
	}
}

func TestDetectorTable(t *testing.T) {
	assert.Less(t, priority(KindRace), priority(KindFailure), "a race also fails its test: the race is the finding")
	assert.Less(t, priority(KindLockOrder), priority(KindDeadlock), "a double Lock also hangs: the lock-order finding names it")
	assert.Equal(t, len(Detectors), priority("unknown"), "an unknown kind ranks last")
	assert.False(t, symptom(KindDeadlock))
	assert.True(t, symptom(KindLeak))
	assert.True(t, symptom("unknown"), "an unknown kind does not end the hunt")
	assert.Equal(t, "lock-order, deadlock or panic", KindList(func(d Detector) bool { return d.EndsHunt }))
}
