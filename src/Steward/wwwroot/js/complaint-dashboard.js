// The compliance dashboard's charts (Apache ECharts), drawn from the JSON the page embeds (#dashboard-charts); labels come
// in the page's language. Each chart has the table of its numbers beside it, so nothing is only in a picture.
(function () {
    var source = document.getElementById('dashboard-charts');
    if (!source || typeof echarts === 'undefined') { return; }
    var data = JSON.parse(source.textContent);
    var colours = { within: '#198754', soon: '#fd7e14', overdue: '#dc3545', none: '#6c757d' };
    var options = {
        open: {
            tooltip: { trigger: 'axis' },
            legend: { top: 0 },
            grid: { left: 40, right: 10, top: 40, bottom: 30 },
            xAxis: { type: 'category', data: data.open.categories },
            yAxis: { type: 'value', minInterval: 1 },
            series: data.open.series.map(function (s) {
                return { name: s.name, type: 'bar', stack: 'open', data: s.data, itemStyle: { color: colours[s.key] } };
            })
        },
        branches: {
            tooltip: { trigger: 'axis' },
            grid: { left: 50, right: 10, top: 20, bottom: 30 },
            xAxis: { type: 'category', data: data.branches.categories },
            yAxis: { type: 'value', name: data.branches.name, nameTextStyle: { align: 'left' } },
            series: [{ name: data.branches.name, type: 'bar', data: data.branches.data, itemStyle: { color: '#0d6efd' } }]
        },
        decisions: {
            tooltip: { trigger: 'item' },
            legend: { top: 0 },
            series: [{ type: 'pie', radius: ['35%', '65%'], top: 20, data: data.decisions.data, color: ['#dc3545', '#198754'] }]
        }
    };
    document.querySelectorAll('.dashboard-chart').forEach(function (el) {
        var chart = echarts.init(el, null, { renderer: 'svg' });
        chart.setOption(options[el.getAttribute('data-chart')]);
        window.addEventListener('resize', function () { chart.resize(); });
    });
})();
