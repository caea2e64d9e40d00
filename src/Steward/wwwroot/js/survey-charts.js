// The survey trend (Apache ECharts): CSAT % and NPS by month from the JSON the page embeds (#survey-trend); a month of fewer
// than 30 responses is drawn as a hollow point and named so in the tooltip. The figures with n and intervals are in the
// analysis table (by month), so nothing is only in the picture.
(function () {
    var source = document.getElementById('survey-trend');
    var el = document.querySelector('.survey-chart');
    if (!source || !el || typeof echarts === 'undefined') { return; }
    var d = JSON.parse(source.textContent);
    function points(values) {
        return values.map(function (v, i) {
            return d.small[i] ? { value: v, symbol: 'emptyCircle', symbolSize: 9 } : { value: v, symbol: 'circle', symbolSize: 7 };
        });
    }
    var chart = echarts.init(el, null, { renderer: 'svg' });
    chart.setOption({
        tooltip: {
            trigger: 'axis',
            formatter: function (ps) {
                var i = ps[0].dataIndex;
                return ps[0].axisValue + (d.small[i] ? ' (' + d.smallName + ')' : '') + '<br>' +
                    ps.map(function (p) { return p.marker + p.seriesName + ': ' + (p.value == null ? '–' : p.value); }).join('<br>');
            }
        },
        legend: { top: 0 },
        grid: { left: 45, right: 45, top: 40, bottom: 30 },
        xAxis: { type: 'category', data: d.months },
        yAxis: [{ type: 'value', name: d.csatName, min: 0, max: 100 }, { type: 'value', name: d.npsName, min: -100, max: 100 }],
        series: [
            { name: d.csatName, type: 'line', data: points(d.csat), connectNulls: true, itemStyle: { color: '#0d6efd' } },
            { name: d.npsName, type: 'line', yAxisIndex: 1, data: points(d.nps), connectNulls: true, itemStyle: { color: '#198754' } }
        ]
    });
    window.addEventListener('resize', function () { chart.resize(); });
})();
