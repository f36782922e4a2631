// quantlens export: every chart of a session rendered offscreen (no window), plus the metrics CSV and
// the session JSON. `--demo` uses the built-in demo session (the seed notebook's figure).
#include <QApplication>
#include <QDir>
#include <QFileInfo>

#include <cstdio>
#include <cstdlib>

#include "analysis_runner.h"
#include "charts/charts.h"
#include "cli/args.h"
#include "examples.h"
#include "export_all.h"
#include "gpu/gpu_backend.h"
#include "gui_main.h"
#include "core/accelerator.h"
#include "core/format_quantizers.h"
#include "metrics_model.h"
#include "session.h"
#include "theme.h"

namespace ql::cli {

int cmd_export(const std::vector<std::string>& argv) {
    Args a(argv, {"session", "example", "out", "format", "size", "dpi", "tensor", "lang", "block-size"}, {"help", "demo", "dark", "presentation", "compare-all", "log-histograms"});
    if (a.flag("help")) {
        std::printf("usage: quantlens export (--session FILE | --example ID | --demo | WEIGHTS [--tensor NAME]) --out DIR\n"
                    "                        [--format png|jpg|pdf|svg|QUANT-FORMAT[,...]] [--block-size N] [--size WxH] [--dpi N]\n"
                    "                        [--compare-all] [--log-histograms] [--dark] [--presentation]\n\n"
                    "Renders every chart of the session without a window, and writes metrics.csv and session.json.\n"
                    "--demo: the seed notebook's setup (1000x1000 normal(0, 2), INT8 vs INT4 per tensor, 5 layers),\n"
                    "with every format compared on the Pareto chart.\n"
                    "--example ID: a classroom example of File > Examples (%s).\n"
                    "--format takes image formats and quantization formats (int, nf4, nf4_dq, fp8_e4m3, fp8_e5m2,\n"
                    "fp4_e2m1, mxfp4, nvfp4, q8_0, q4_0, q4_1, q5_0, q2_k, q3_k, q4_k, q5_k, q6_k, iq4_nl, iq4_xs, hqq): quantization formats\n"
                    "replace the session's configurations, one each at its common settings (--block-size for\n"
                    "nf4/nf4_dq/fp4 and hqq's group).\n"
                    "--compare-all: also every format at its common settings (Pareto and SNR charts).\n"
                    "--log-histograms: the weight and error distributions on a log density axis (outliers show).\n"
                    "Default images: png,svg,pdf at 1200x750 (150 dpi).\n",
                    qPrintable(ui::exampleIds()));
        return 0;
    }
    const std::string out = a.require("out");
    ui::Session session = ui::Session::defaults();
    if (auto s = a.get("session")) {
        QString error;
        auto loaded = ui::loadSession(QString::fromStdString(*s), &error);
        if (!loaded) {
            std::fprintf(stderr, "quantlens export: %s\n", error.toLocal8Bit().constData());
            return 1;
        }
        session = *loaded;
    } else if (auto e = a.get("example")) {
        QString error;
        auto loaded = ui::loadExample(QString::fromStdString(*e), &error);
        if (!loaded) throw UsageError(error.toStdString());
        session = *loaded;
    } else if (!a.positional().empty()) {
        session.tensor.fromFile = true;
        session.tensor.file = QFileInfo(QString::fromStdString(a.positional()[0])).absoluteFilePath().toStdString();
        session.tensor.tensor = a.get_or("tensor", "");
    } else if (!a.flag("demo")) {
        throw UsageError("give --session FILE, --example ID, --demo, or a weights file");
    } else {
        session.view.compareAll = true;
    }
    if (a.flag("compare-all")) session.view.compareAll = true;
    if (a.flag("log-histograms")) session.view.logHistograms = true;
    ui::ExportOptions opt;
    if (auto f = a.get("format")) {
        opt.formats.clear();
        std::vector<Format> quant;
        for (const QString& part : QString::fromStdString(*f).split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            ui::ExportFormat fm;
            if (ui::parseExportFormat(part.trimmed(), fm)) {
                opt.formats.push_back(fm);
            } else if (auto q = parse_format(part.trimmed().toStdString())) {
                quant.push_back(*q);
            } else {
                throw UsageError("--format: '" + part.toStdString() + "' is neither an image format (png, jpg, pdf, svg) nor a quantization format");
            }
        }
        if (!quant.empty()) {
            QuantConfig int8;
            int8.bits = 8;
            session.configs = common_format_configs(int8, quant);
            const int block = static_cast<int>(a.get_int("block-size", 0));
            if (block < 0) throw UsageError("--block-size must not be negative");
            if (block > 0)
                for (auto& c : session.configs)
                    if (c.format == Format::NF4 || c.format == Format::NF4_DQ || c.format == Format::FP4_E2M1 || c.format == Format::HQQ) c.block_size = block;
            session.view.levelsConfig = 0;
        }
        if (opt.formats.empty()) opt.formats = ui::ExportOptions{}.formats;
    }
    if (auto sz = a.get("size")) {
        const QStringList wh = QString::fromStdString(*sz).split(QLatin1Char('x'));
        bool okw = false, okh = false;
        const int w = wh.size() == 2 ? wh[0].toInt(&okw) : 0, h = wh.size() == 2 ? wh[1].toInt(&okh) : 0;
        if (!okw || !okh || w < 200 || h < 150 || w > 20000 || h > 20000) throw UsageError("--size must look like 1600x1000 (200..20000 pixels)");
        opt.size = QSize(w, h);
    }
    opt.dpi = static_cast<int>(a.get_int("dpi", 150));
    if (opt.dpi < 36 || opt.dpi > 1200) throw UsageError("--dpi must be 36..1200");

    // No window: the offscreen platform unless one is forced.
    if (!std::getenv("QT_QPA_PLATFORM")) setenv("QT_QPA_PLATFORM", "offscreen", 1);
    int qargc = 1;
    char name[] = "quantlens";
    char* qargv[] = {name, nullptr};
    QApplication app(qargc, qargv);
    const std::string lang = a.get_or("lang", "en");
    ui::setupApplication(app, lang.c_str());

    auto accelerator = gpu::make_accelerator();
    const ui::AnalysisResult r = ui::runAnalysisJob(session, nullptr, accelerator.get(), [](int) { return true; });
    if (!r.error.isEmpty() || !r.report) {
        std::fprintf(stderr, "quantlens export: %s\n", r.error.toLocal8Bit().constData());
        return 1;
    }
    auto charts = ui::createAllCharts(nullptr);
    ui::ChartInputs in;
    in.report = r.report;
    in.gpuFit = r.gpuFit;
    for (std::size_t i = 0; i < r.report->configs.size(); ++i) in.colors.push_back(ui::configColor(r.report->configs[i].config.color, static_cast<int>(i)));
    in.levelsConfig = session.view.levelsConfig;
    in.showLevels = session.view.showLevels;
    in.logScale = session.view.logChannelError;
    in.logHistograms = session.view.logHistograms;
    in.compare = session.view.compareAll ? r.compare : nullptr;
    in.paretoMse = session.view.paretoMse;
    const ui::ChartStyle style = ui::makeChartStyle(a.flag("dark"), a.flag("presentation"));
    for (ui::ChartView* c : charts) {
        c->resize(opt.size);
        c->setChartStyle(style);
        c->setInputs(in);
    }
    ui::MetricsModel metrics;
    metrics.setReport(r.report, in.colors);
    QStringList written;
    QString error;
    const bool ok = ui::exportAll(charts, metrics, session, QString::fromStdString(out), opt, &written, &error);
    for (ui::ChartView* c : charts) delete c;
    if (!ok) {
        std::fprintf(stderr, "quantlens export: %s\n", error.toLocal8Bit().constData());
        return 1;
    }
    std::printf("wrote %lld files to %s:\n", static_cast<long long>(written.size()), QDir(QString::fromStdString(out)).absolutePath().toLocal8Bit().constData());
    for (const QString& w : written) std::printf("  %s\n", QFileInfo(w).fileName().toLocal8Bit().constData());
    for (const auto& w : r.report->warnings) std::printf("note: %s\n", w.c_str());
    return 0;
}

} // namespace ql::cli
