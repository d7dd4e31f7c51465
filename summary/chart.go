package summary

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"sync"

	"github.com/steadyapp/steady/themes"
)

// Chart size in pixels. The email shows it at this size; every common mail
// client shows an inline PNG.
const (
	ChartWidth  = 560
	ChartHeight = 220
)

// themeColors are the chart colours, also used for the legend.
var themeColors = map[string]color.RGBA{
	themes.Safety:        {0x7a, 0x1f, 0x2b, 0xff},
	themes.Honesty:       {0xc0, 0x50, 0x4d, 0xff},
	themes.KeepingWord:   {0xe0, 0x8e, 0x3c, 0xff},
	themes.Trust:         {0xd4, 0xb1, 0x3f, 0xff},
	themes.Confiding:     {0x7f, 0xa6, 0x4f, 0xff},
	themes.HasYourBack:   {0x3f, 0x8f, 0x8a, 0xff},
	themes.Distancing:    {0x4a, 0x78, 0xb5, 0xff},
	themes.FearDoubt:     {0x6d, 0x5a, 0xa8, 0xff},
	themes.Friendship:    {0xb0, 0x5c, 0x9e, 0xff},
	themes.Dependability: {0x8a, 0x6e, 0x55, 0xff},
}

// Color is a theme's chart colour as "#rrggbb" ("#000000" for a theme
// without one).
func Color(theme string) string {
	if s, ok := themeHex[theme]; ok {
		return s
	}
	return "#000000"
}

// themeHex are themeColors as Color writes them, worked out once rather
// than for every item of every summary.
var themeHex = func() map[string]string {
	m := make(map[string]string, len(themeColors))
	for theme, c := range themeColors {
		m[theme] = fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B)
	}
	return m
}()

// The chart's other colours.
var (
	chartBackground = color.RGBA{0xfb, 0xf8, 0xf3, 0xff}
	chartGrid       = color.RGBA{0xe6, 0xe0, 0xd6, 0xff}
	chartTick       = color.RGBA{0x9a, 0x90, 0x84, 0xff}
)

// chartPalette is every colour the chart uses: background first, then the
// grid, the week ticks and the themes in the analysis order. Fifteen
// colours fit four bits a pixel.
var chartPalette = func() color.Palette {
	p := color.Palette{chartBackground, chartGrid, chartTick}
	for _, th := range themes.AnalysisThemes() {
		if c, ok := themeColors[th]; ok {
			p = append(p, c)
		}
	}
	for th, c := range themeColors {
		if !slices.Contains(p, color.Color(c)) {
			panic("summary: chart colour of " + th + " is missing from the palette")
		}
	}
	return p
}()

// chartEncoder favours speed: a paletted image of large flat areas
// compresses well even at the fastest level. Its buffers (a deflate
// compressor is most of a megabyte) are reused across charts.
var chartEncoder = png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: &encoderPool{}}

// encoderPool is a png.EncoderBufferPool over a sync.Pool.
type encoderPool struct{ p sync.Pool }

func (e *encoderPool) Get() *png.EncoderBuffer {
	b, _ := e.p.Get().(*png.EncoderBuffer)
	return b
}

func (e *encoderPool) Put(b *png.EncoderBuffer) { e.p.Put(b) }

// Chart draws the red flags per theme by week as stacked bars, one bar per
// week, on a light grid with one line per flag, and encodes it as a
// paletted PNG.
func Chart(d Data) ([]byte, error) {
	img := image.NewPaletted(image.Rect(0, 0, ChartWidth, ChartHeight), chartPalette) // all background (index 0)
	const left, right, top, bottom = 24, 24, 16, 24
	plotH := ChartHeight - top - bottom
	maxTotal := 4
	for _, w := range d.Weeks {
		t := 0
		for _, c := range w.Red {
			t += c.Count
		}
		maxTotal = max(maxTotal, t)
	}
	unit := plotH / maxTotal
	for i := 0; i <= maxTotal; i++ {
		y := ChartHeight - bottom - i*unit
		fill(img, left, y, ChartWidth-right, y+1, chartGrid)
	}
	n := max(len(d.Weeks), 1)
	slot := (ChartWidth - left - right) / n
	barW := slot * 3 / 5
	for i, w := range d.Weeks {
		x0 := left + i*slot + (slot-barW)/2
		y := ChartHeight - bottom
		for _, c := range w.Red {
			h := c.Count * unit
			fill(img, x0, y-h+1, x0+barW, y, themeColors[c.Theme])
			y -= h
		}
		// A small tick under each week, so an empty week still shows.
		fill(img, x0, ChartHeight-bottom+4, x0+barW, ChartHeight-bottom+6, chartTick)
	}
	var buf bytes.Buffer
	buf.Grow(4 << 10)
	if err := chartEncoder.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("summary: chart: %w", err)
	}
	return buf.Bytes(), nil
}

// fill paints the rectangle [x0, x1) × [y0, y1), clipped to img, in c.
func fill(img *image.Paletted, x0, y0, x1, y1 int, c color.RGBA) {
	r := image.Rect(x0, y0, x1, y1).Intersect(img.Rect)
	idx := uint8(chartPalette.Index(c))
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = idx
		}
	}
}
