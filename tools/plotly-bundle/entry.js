'use strict';
// plotly.js core (which always holds scatter) with only the other trace types the HTML report draws.
// Keep in step with assessment/report.py: REPORT_TRACES.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scatterpolar'),
]);

module.exports = Plotly;
