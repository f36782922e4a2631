// Chart export (PNG/JPG/PDF/SVG, atomic), "export all", the metrics CSV and session files, checked by
// decoding what was written: PNG/JPG decode at the requested size and DPI, SVG parses as XML and renders,
// PDF is a complete PDF file; sessions round-trip and bad files give an error naming the problem.
#include <QtTest>

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QImageReader>
#include <QPushButton>
#include <QSpinBox>
#include <QSvgRenderer>
#include <QXmlStreamReader>

#include <algorithm>
#include <cmath>
#include <limits>
#include <functional>
#include <memory>
#include <random>

#include "qcp_complaints.h"
#include "test_settings.h"
#include "analysis_runner.h"
#include "charts/charts.h"
#include "examples.h"
#include "export_all.h"
#include "export_dialog.h"
#include "metrics_model.h"
#include "session.h"
#include "theme.h"

using namespace ql;
using namespace ql::ui;

namespace {

// A small real analysis (core's analyze on a 64x96 normal tensor, INT8 and INT4), so the exported
// charts have data in every panel.
struct Fixture {
    Session session;
    AnalysisResult result;
    std::vector<ChartView*> charts;
    MetricsModel metrics;
    Fixture() {
        session = Session::defaults();
        session.tensor.generator.shape = {64, 96};
        session.analysis.layer_sim.width = 64;
        session.analysis.layer_sim.batch = 8;
        result = runAnalysisJob(session, nullptr, nullptr, [](int) { return true; });
        charts = createAllCharts(nullptr);
        ChartInputs in;
        in.report = result.report;
        in.gpuFit = result.gpuFit;
        for (std::size_t i = 0; i < session.configs.size(); ++i) in.colors.push_back(configColor(session.configs[i].color, int(i)));
        in.levelsConfig = 1;
        in.showLevels = true;
        for (ChartView* c : charts) {
            c->resize(900, 560);
            c->setInputs(in);
        }
        metrics.setReport(result.report, in.colors);
    }
    ~Fixture() { qDeleteAll(charts); }
    ChartView* chart(const QString& id) const {
        for (ChartView* c : charts)
            if (c->chartId() == id) return c;
        return nullptr;
    }
};

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Checks that path holds a valid file of the format; returns "" or what is wrong.
QString validate(const QString& path, ExportFormat format, QSize size, int dpi) {
    const QByteArray bytes = readAll(path);
    if (bytes.isEmpty()) return QStringLiteral("empty or missing");
    switch (format) {
    case ExportFormat::Png:
    case ExportFormat::Jpg: {
        QImageReader r(path);
        const QByteArray want = format == ExportFormat::Png ? "png" : "jpeg";
        if (r.format() != want) return QStringLiteral("format %1, want %2").arg(QString::fromLatin1(r.format()), QString::fromLatin1(want));
        const QImage img = r.read();
        if (img.isNull()) return QStringLiteral("does not decode: %1").arg(r.errorString());
        if (img.size() != size) return QStringLiteral("size %1x%2, want %3x%4").arg(img.width()).arg(img.height()).arg(size.width()).arg(size.height());
        if (format == ExportFormat::Png && std::lround(img.dotsPerMeterX() * 0.0254) != dpi)
            return QStringLiteral("dpi %1, want %2").arg(img.dotsPerMeterX() * 0.0254).arg(dpi);
        // Not blank: a drawn chart has many distinct colours.
        QSet<QRgb> colours;
        for (int y = 0; y < img.height(); y += 7)
            for (int x = 0; x < img.width(); x += 7) colours.insert(img.pixel(x, y));
        if (colours.size() < 4) return QStringLiteral("looks blank (%1 colours)").arg(colours.size());
        return {};
    }
    case ExportFormat::Svg: {
        QXmlStreamReader xml(bytes);
        bool sawSvg = false;
        int texts = 0;
        while (!xml.atEnd()) {
            xml.readNext();
            if (xml.isStartElement() && xml.name() == QLatin1String("svg")) sawSvg = true;
            if (xml.isStartElement() && xml.name() == QLatin1String("text")) ++texts;
        }
        if (xml.hasError()) return QStringLiteral("XML error: %1").arg(xml.errorString());
        if (!sawSvg) return QStringLiteral("no <svg> element");
        if (texts < 3) return QStringLiteral("only %1 text elements: not vector text").arg(texts);
        QSvgRenderer renderer(bytes);
        if (!renderer.isValid()) return QStringLiteral("QSvgRenderer rejects it");
        if (renderer.viewBox().size() != size) return QStringLiteral("viewBox %1x%2").arg(renderer.viewBox().width()).arg(renderer.viewBox().height());
        return {};
    }
    case ExportFormat::Pdf:
        if (!bytes.startsWith("%PDF-")) return QStringLiteral("does not start with %PDF-");
        if (!bytes.trimmed().endsWith("%%EOF")) return QStringLiteral("does not end with %%EOF");
        {
            // A page of the chart's size in points, drawn as vectors (no raster image inside).
            const QRegularExpression box(QStringLiteral("/MediaBox \\[0 0 ([0-9.]+) ([0-9.]+)\\]"));
            const auto m = box.match(QString::fromLatin1(bytes));
            if (!m.hasMatch()) return QStringLiteral("no MediaBox");
            if (std::lround(m.captured(1).toDouble()) != size.width() || std::lround(m.captured(2).toDouble()) != size.height())
                return QStringLiteral("MediaBox %1 x %2 pt, want %3 x %4").arg(m.captured(1), m.captured(2)).arg(size.width()).arg(size.height());
            if (bytes.contains("/Subtype /Image")) return QStringLiteral("holds a raster image: not vector");
        }
        return {};
    }
    return QStringLiteral("unknown format");
}

} // namespace

class TestExport : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<Fixture> fx_;

private slots:
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_export"));
        QVERIFY(dir_.isValid());
        fx_ = std::make_unique<Fixture>();
        QVERIFY(fx_->result.report);
        QVERIFY(fx_->result.error.isEmpty());
        QCOMPARE(fx_->result.report->configs.size(), std::size_t(2));
    }
    void cleanupTestCase() { fx_.reset(); }

    // The export options come back as the user last chose them (export_dialog.h); a value outside the
    // dialog's range, text where a number belongs, or a format name this version does not know falls
    // back to the default (a hand-edited settings file). An invalid QVariant: not stored.
    void rememberedExportOptions_data() {
        QTest::addColumn<QVariant>("width");
        QTest::addColumn<QVariant>("height");
        QTest::addColumn<QVariant>("dpi");
        QTest::addColumn<QVariant>("formats");
        QTest::addColumn<QSize>("wantSize");
        QTest::addColumn<int>("wantDpi");
        QTest::addColumn<QStringList>("wantFormats");
        const ExportOptions d;
        QStringList def;
        for (ExportFormat f : d.formats) def << exportFormatSuffix(f);
        const QVariant none;
        QTest::newRow("nothing stored") << none << none << none << none << d.size << d.dpi << def;
        QTest::newRow("a choice") << QVariant(800) << QVariant(500) << QVariant(300) << QVariant(QStringList{"jpg", "svg"})
                                  << QSize(800, 500) << 300 << QStringList{"jpg", "svg"};
        QTest::newRow("dpi 0") << QVariant(800) << QVariant(500) << QVariant(0) << none << QSize(800, 500) << d.dpi << def;
        QTest::newRow("width as text") << QVariant(QStringLiteral("wide")) << QVariant(500) << QVariant(300) << none
                                       << QSize(d.size.width(), 500) << 300 << def;
        QTest::newRow("height over the limit") << QVariant(800) << QVariant(kExportMaxHeight + 1) << QVariant(kExportMaxDpi) << none
                                               << QSize(800, d.size.height()) << kExportMaxDpi << def;
        QTest::newRow("width at the lower limit") << QVariant(kExportMinWidth) << QVariant(kExportMinHeight) << QVariant(kExportMinDpi - 1)
                                                  << none << QSize(kExportMinWidth, kExportMinHeight) << d.dpi << def;
        QTest::newRow("unknown format") << none << none << none << QVariant(QStringList{"png", "bmp"}) << d.size << d.dpi << def;
        QTest::newRow("repeated format") << none << none << none << QVariant(QStringList{"svg", "svg", "png"}) << d.size << d.dpi
                                         << QStringList{"svg", "png"};
        QTest::newRow("no format") << none << none << none << QVariant(QStringList{}) << d.size << d.dpi << def;
    }
    void rememberedExportOptions() {
        QFETCH(QVariant, width);
        QFETCH(QVariant, height);
        QFETCH(QVariant, dpi);
        QFETCH(QVariant, formats);
        QFETCH(QSize, wantSize);
        QFETCH(int, wantDpi);
        QFETCH(QStringList, wantFormats);
        QSettings s;
        s.remove(QStringLiteral("export"));
        const std::pair<const char*, QVariant> stored[] = {{"export/width", width}, {"export/height", height}, {"export/dpi", dpi}, {"export/formats", formats}};
        for (const auto& [key, v] : stored)
            if (v.isValid()) s.setValue(QLatin1String(key), v);
        const ExportOptions got = ql::ui::rememberedExportOptions();
        QCOMPARE(got.size, wantSize);
        QCOMPARE(got.dpi, wantDpi);
        QStringList names;
        for (ExportFormat f : got.formats) names << exportFormatSuffix(f);
        QCOMPARE(names, wantFormats);
        // what is remembered comes back as it was
        rememberExportOptions(got);
        const ExportOptions again = ql::ui::rememberedExportOptions();
        QCOMPARE(again.size, got.size);
        QCOMPARE(again.dpi, got.dpi);
        QVERIFY(again.formats == got.formats);
        s.remove(QStringLiteral("export"));
    }

    // The options dialog returns its fields; a single image's dialog (no format boxes) keeps the start's
    // formats, and "Export all"'s returns the ticked ones in PNG, JPG, PDF, SVG order, OK disabled with none.
    void exportOptionsDialogReturnsItsFields_data() {
        QTest::addColumn<bool>("chooseFormats");
        QTest::addColumn<QStringList>("ticked");
        QTest::addColumn<QStringList>("want");
        QTest::addColumn<bool>("okEnabled");
        QTest::newRow("one image") << false << QStringList{} << QStringList{"pdf", "jpg"} << true;
        QTest::newRow("all: jpg and svg") << true << QStringList{"svg", "jpg"} << QStringList{"jpg", "svg"} << true;
        QTest::newRow("all: every format") << true << QStringList{"png", "jpg", "pdf", "svg"} << QStringList{"png", "jpg", "pdf", "svg"} << true;
        QTest::newRow("all: none") << true << QStringList{} << QStringList{} << false;
    }
    void exportOptionsDialogReturnsItsFields() {
        QFETCH(bool, chooseFormats);
        QFETCH(QStringList, ticked);
        QFETCH(QStringList, want);
        QFETCH(bool, okEnabled);
        ExportOptions start;
        start.formats = {ExportFormat::Pdf, ExportFormat::Jpg};
        start.size = QSize(1000, 600);
        start.dpi = 96;
        ExportOptionsDialog d(start, chooseFormats);
        auto* w = d.findChild<QSpinBox*>(QStringLiteral("exportWidth"));
        auto* h = d.findChild<QSpinBox*>(QStringLiteral("exportHeight"));
        auto* r = d.findChild<QSpinBox*>(QStringLiteral("exportDpi"));
        QVERIFY(w && h && r);
        QCOMPARE(w->value(), 1000);
        QCOMPARE(r->value(), 96);
        QCOMPARE(d.findChildren<QCheckBox*>().size(), chooseFormats ? 4 : 0);
        for (QCheckBox* box : d.findChildren<QCheckBox*>())
            box->setChecked(ticked.contains(box->objectName().section(QLatin1Char('_'), 1)));
        w->setValue(2400);
        h->setValue(kExportMaxHeight + 100);  // the box stops at its limit
        r->setValue(300);
        const ExportOptions got = d.options();
        QCOMPARE(got.size, QSize(2400, kExportMaxHeight));
        QCOMPARE(got.dpi, 300);
        QStringList names;
        for (ExportFormat f : got.formats) names << exportFormatSuffix(f);
        QCOMPARE(names, want);
        QCOMPARE(d.findChild<QDialogButtonBox*>()->button(QDialogButtonBox::Ok)->isEnabled(), okEnabled);
    }

    void exportChart_data() {
        QTest::addColumn<QString>("id");
        QTest::addColumn<ExportFormat>("format");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<int>("dpi");
        QTest::newRow("weights png 1600x1000 200dpi") << "weight_distribution" << ExportFormat::Png << QSize(1600, 1000) << 200;
        QTest::newRow("weights png 640x400 72dpi") << "weight_distribution" << ExportFormat::Png << QSize(640, 400) << 72;
        QTest::newRow("memory jpg") << "memory" << ExportFormat::Jpg << QSize(1200, 750) << 150;
        QTest::newRow("layers svg") << "layer_accumulation" << ExportFormat::Svg << QSize(1000, 620) << 96;
        QTest::newRow("gpu fit pdf") << "gpu_fit" << ExportFormat::Pdf << QSize(1000, 620) << 96;
        QTest::newRow("snr png") << "snr_vs_bits" << ExportFormat::Png << QSize(1200, 750) << 300;
        QTest::newRow("channel svg") << "channel_error" << ExportFormat::Svg << QSize(900, 600) << 96;
        QTest::newRow("sample pdf") << "sample_values" << ExportFormat::Pdf << QSize(900, 600) << 96;
        QTest::newRow("error jpg") << "error_distribution" << ExportFormat::Jpg << QSize(800, 500) << 96;
    }
    void exportChart() {
        QFETCH(QString, id);
        QFETCH(ExportFormat, format);
        QFETCH(QSize, size);
        QFETCH(int, dpi);
        ChartView* c = fx_->chart(id);
        QVERIFY(c);
        const QSize widgetBefore = c->size();
        const QString path = dir_.filePath(QStringLiteral("%1_%2x%3.%4").arg(id).arg(size.width()).arg(size.height()).arg(exportFormatSuffix(format)));
        QString error;
        QVERIFY2(c->exportTo(path, format, size, dpi, &error), qPrintable(error));
        const QString problem = validate(path, format, size, dpi);
        QVERIFY2(problem.isEmpty(), qPrintable(path + QStringLiteral(": ") + problem));
        QCOMPARE(c->size(), widgetBefore);  // exporting does not resize the chart on screen
    }

    // A chart exported at another size than it has on screen is laid out for the export's size: a 420x260
    // chart (a small dock) exported at 1600x1000 gives the very image a 1600x1000 chart gives (drawn at
    // its small layout, its legend stood under the plot in small type and its bar names were compacted),
    // and stays as it was on screen.
    void exportLaidOutForItsSize_data() {
        QTest::addColumn<QString>("id");
        for (const char* id : {"weight_distribution", "memory", "gpu_fit", "snr_vs_bits", "layer_accumulation", "error_distribution"})
            QTest::newRow(id) << QString::fromLatin1(id);
    }
    void exportLaidOutForItsSize() {
        QFETCH(QString, id);
        const QSize slide(1600, 1000), dock(420, 260);
        auto make = [&](QSize onScreen) {
            std::unique_ptr<ChartView> chart;
            for (ChartView* c : createAllCharts(nullptr)) {
                if (c->chartId() == id) chart.reset(c);
                else delete c;
            }
            chart->show();
            chart->resize(onScreen);
            // twice: a first build lays out without the axes' margins known (the memory chart's headroom
            // follows from them), as a window's charts have them from their last drawing
            for (int pass = 0; pass < 2; ++pass) {
                chart->setInputs(fx_->chart(id)->inputs());
                chart->replot();
            }
            return chart;
        };
        auto small = make(dock), large = make(slide);
        const bool belowBefore = small->legendBelowPlot();
        const QCPRange xBefore = small->xAxis->range(), yBefore = small->yAxis->range();
        QString error;
        const QString fromSmall = dir_.filePath(id + QStringLiteral("_from_dock.png")), fromLarge = dir_.filePath(id + QStringLiteral("_from_slide.png"));
        QVERIFY2(small->exportTo(fromSmall, ExportFormat::Png, slide, 96, &error), qPrintable(error));
        QVERIFY2(large->exportTo(fromLarge, ExportFormat::Png, slide, 96, &error), qPrintable(error));
        const QImage a(fromSmall), b(fromLarge);
        QCOMPARE(a.size(), slide);
        QVERIFY2(a == b, "the dock's export differs from the slide-sized chart's");
        QCOMPARE(small->size(), dock);  // on screen as before
        QCOMPARE(small->legendBelowPlot(), belowBefore);
        QCOMPARE(small->xAxis->range(), xBefore);
        QCOMPARE(small->yAxis->range(), yBefore);
    }

    // A zoomed view exports as zoomed, at any size.
    void exportKeepsTheZoom() {
        ChartView* c = fx_->chart(QStringLiteral("weight_distribution"));
        c->show();
        c->resize(420, 260);
        c->replot();
        QString error;
        QVERIFY2(c->exportTo(dir_.filePath(QStringLiteral("whole.png")), ExportFormat::Png, QSize(1600, 1000), 96, &error), qPrintable(error));
        const QCPRange zoomX(-0.5, 0.5);
        c->xAxis->setRange(zoomX);
        QVERIFY2(c->exportTo(dir_.filePath(QStringLiteral("zoomed.png")), ExportFormat::Png, QSize(1600, 1000), 96, &error), qPrintable(error));
        QVERIFY(QImage(dir_.filePath(QStringLiteral("zoomed.png"))) != QImage(dir_.filePath(QStringLiteral("whole.png"))));
        QCOMPARE(c->xAxis->range(), zoomX);
        c->hide();
        c->resize(900, 560);
        c->setInputs(c->inputs());  // the fixture's chart as it was
    }

    // Overwriting an existing file replaces it whole; a failed export leaves the old file untouched.
    void atomicWrites() {
        ChartView* c = fx_->chart("memory");
        const QString path = dir_.filePath("atomic.png");
        QString error;
        QVERIFY2(c->exportTo(path, ExportFormat::Png, QSize(800, 500), 96, &error), qPrintable(error));
        QVERIFY2(c->exportTo(path, ExportFormat::Png, QSize(640, 400), 96, &error), qPrintable(error));
        QCOMPARE(validate(path, ExportFormat::Png, QSize(640, 400), 96), QString());
        const QByteArray before = readAll(path);
        QVERIFY(!c->exportTo(path, ExportFormat::Png, QSize(50000, 400), 96, &error));  // refused: too large
        QVERIFY(error.contains(QLatin1String("50000")));
        QCOMPARE(readAll(path), before);
        // A folder that does not exist: an error naming the path, no crash.
        error.clear();
        QVERIFY(!c->exportTo(dir_.filePath("no/such/dir/x.svg"), ExportFormat::Svg, QSize(800, 500), 96, &error));
        QVERIFY2(error.contains(QLatin1String("no/such/dir")), qPrintable(error));
        // No stray temporary files next to the target.
        const QStringList left = QDir(dir_.path()).entryList({"atomic*"}, QDir::Files);
        QCOMPARE(left, QStringList{"atomic.png"});
    }

    void parseFormats_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<ExportFormat>("format");
        QTest::newRow("png") << "png" << true << ExportFormat::Png;
        QTest::newRow("JPEG") << "JPEG" << true << ExportFormat::Jpg;
        QTest::newRow("pdf") << "pdf" << true << ExportFormat::Pdf;
        QTest::newRow("svg") << "Svg" << true << ExportFormat::Svg;
        QTest::newRow("gif refused") << "gif" << false << ExportFormat::Png;
    }
    void parseFormats() {
        QFETCH(QString, text);
        QFETCH(bool, ok);
        QFETCH(ExportFormat, format);
        ExportFormat got = ExportFormat::Png;
        QCOMPARE(parseExportFormat(text, got), ok);
        if (ok) {
            QCOMPARE(got, format);
            QCOMPARE(exportFormatSuffix(got), text.toLower() == "jpeg" ? QString("jpg") : text.toLower());
        }
    }

    // Every chart in every format, the CSV and the session, into one new folder.
    void exportAllWritesEverything() {
        const QString out = dir_.filePath("all/nested");
        ExportOptions opt;
        opt.formats = {ExportFormat::Png, ExportFormat::Jpg, ExportFormat::Svg, ExportFormat::Pdf};
        opt.size = QSize(1000, 620);
        opt.dpi = 120;
        QStringList written;
        QString error;
        QVERIFY2(exportAll(fx_->charts, fx_->metrics, fx_->session, out, opt, &written, &error), qPrintable(error));
        QCOMPARE(written.size(), int(fx_->charts.size()) * 4 + 2);
        for (ChartView* c : fx_->charts)
            for (ExportFormat f : opt.formats) {
                const QString p = QDir(out).filePath(c->chartId() + '.' + exportFormatSuffix(f));
                QVERIFY2(written.contains(p), qPrintable(p));
                const QString problem = validate(p, f, opt.size, opt.dpi);
                QVERIFY2(problem.isEmpty(), qPrintable(p + QStringLiteral(": ") + problem));
            }
        const QString csv = QString::fromUtf8(readAll(QDir(out).filePath("metrics.csv")));
        QCOMPARE(csv, fx_->metrics.toCsv());
        QString sessionError;
        auto back = loadSession(QDir(out).filePath("session.json"), &sessionError);
        QVERIFY2(back.has_value(), qPrintable(sessionError));
        QVERIFY(sessionToJson(*back) == sessionToJson(fx_->session));
    }

    // CSV: header, one row per configuration, values equal to the report's at full precision.
    void metricsCsv() {
        const QStringList lines = fx_->metrics.toCsv().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines[0].startsWith(QLatin1String("configuration,mse,")));
        const auto& r = *fx_->result.report;
        for (int row = 0; row < 2; ++row) {
            const QStringList cells = lines[row + 1].split(',');
            QCOMPARE(cells.size(), int(MetricsModel::ColumnCount));
            QCOMPARE(cells[0], QString::fromStdString(r.configs[row].config.display_name()));
            QCOMPARE(cells[1].toDouble(), r.configs[row].metrics.mse);   // 17 significant digits round-trip
            QCOMPARE(cells[8].toULongLong(), r.configs[row].storage.bytes);
        }
        QCOMPARE(fx_->metrics.rowCount(), 2);
        const QString tsv = fx_->metrics.toTsv({});
        QCOMPARE(tsv.count('\n'), 3);
        QVERIFY(tsv.contains('\t'));
    }

    // A report with the same configurations updates the table in place: only the cells whose text,
    // tooltip, colour or error state changed are announced (the view repaints those alone), and every
    // cell then shows the new report.
    void metricsUpdateInPlace_data() {
        QTest::addColumn<int>("change");
        QTest::addColumn<QList<int>>("cells");  // row * 100 + column
        QTest::newRow("same report") << 0 << QList<int>{};
        QTest::newRow("INT4 mse") << 1 << QList<int>{100 + MetricsModel::Mse};
        QTest::newRow("INT8 size") << 2 << QList<int>{MetricsModel::Size};
        QTest::newRow("forward differences pending") << 3 << QList<int>{MetricsModel::OutputErr, 100 + MetricsModel::OutputErr};
        QList<int> row1;
        for (int c = 0; c < MetricsModel::ColumnCount; ++c) row1 << 100 + c;
        QTest::newRow("INT4 colour") << 4 << row1;
        QTest::newRow("INT4 failed") << 5 << row1;
    }
    void metricsUpdateInPlace() {
        QFETCH(int, change);
        QFETCH(QList<int>, cells);
        const auto& base = fx_->result.report;
        std::vector<QColor> colors{configColor(fx_->session.configs[0].color, 0), configColor(fx_->session.configs[1].color, 1)};
        MetricsModel m;
        m.setReport(base, colors);
        auto next = std::make_shared<AnalysisReport>(*base);
        switch (change) {
        case 1: next->configs[1].metrics.mse *= 3; break;
        case 2: next->configs[0].storage.bytes += 4096; break;
        case 3: next->forward_pending = true; break;
        case 4: colors[1] = QColor(0x12, 0x34, 0x56); break;
        case 5: next->configs[1].error = "bad configuration"; break;
        default: break;
        }
        QSignalSpy reset(&m, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&m, &QAbstractItemModel::dataChanged);
        m.setReport(next, colors);
        QCOMPARE(reset.count(), 0);
        QList<int> got;
        for (const auto& args : changed) {
            const auto tl = args.at(0).value<QModelIndex>(), br = args.at(1).value<QModelIndex>();
            for (int r = tl.row(); r <= br.row(); ++r)
                for (int c = tl.column(); c <= br.column(); ++c) got << r * 100 + c;
        }
        std::sort(got.begin(), got.end());
        QCOMPARE(got, cells);
        MetricsModel fresh;
        fresh.setReport(next, colors);
        for (int r = 0; r < 2; ++r)
            for (int c = 0; c < MetricsModel::ColumnCount; ++c)
                for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::DecorationRole), int(Qt::ForegroundRole)})
                    QCOMPARE(m.index(r, c).data(role), fresh.index(r, c).data(role));
    }

    // The Size column in decimal and binary units, and a small tensor's bytes whole (69 B and 133 B,
    // INT4 and INT8 of a 16x8 tensor, read '0.1 kB / 0.1 KiB' alike).
    void metricsSizeText_data() {
        QTest::addColumn<qulonglong>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("69 B") << qulonglong(69) << QStringLiteral("69 B");
        QTest::newRow("999 B") << qulonglong(999) << QStringLiteral("999 B");
        QTest::newRow("1000 B") << qulonglong(1000) << QStringLiteral("1.0 kB / 1.0 KiB");
        QTest::newRow("500 kB") << qulonglong(500000) << QStringLiteral("500.0 kB / 488.3 KiB");
        QTest::newRow("1 MB") << qulonglong(1000000) << QStringLiteral("1.00 MB / 0.95 MiB");
        QTest::newRow("7B at INT4") << qulonglong(3500000000) << QStringLiteral("3.50 GB / 3.26 GiB");
    }
    void metricsSizeText() {
        QFETCH(qulonglong, bytes);
        QFETCH(QString, text);
        auto next = std::make_shared<AnalysisReport>(*fx_->result.report);
        next->configs[0].storage.bytes = bytes;
        MetricsModel m;
        m.setReport(next, {configColor(fx_->session.configs[0].color, 0), configColor(fx_->session.configs[1].color, 1)});
        QCOMPARE(m.index(0, MetricsModel::Size).data().toString(), text);
    }

    // Metrics that are not finite, spelled with their sign: an exact configuration's SNR is +inf, one whose
    // values dequantize to +-inf (an fp16 block scale that overflows) has -inf dB and a NaN cosine.
    void metricsSpecialValues_data() {
        QTest::addColumn<int>("column");
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("text");
        const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("SNR +inf (exact)") << int(MetricsModel::Snr) << inf << QStringLiteral("inf");
        QTest::newRow("SNR -inf (overflow)") << int(MetricsModel::Snr) << -inf << QStringLiteral("-inf");
        QTest::newRow("SQNR -inf") << int(MetricsModel::Sqnr) << -inf << QStringLiteral("-inf");
        QTest::newRow("MSE +inf") << int(MetricsModel::Mse) << inf << QStringLiteral("inf");
        QTest::newRow("max error NaN") << int(MetricsModel::MaxErr) << nan << QStringLiteral("nan");
        QTest::newRow("cosine NaN") << int(MetricsModel::Cosine) << nan << QStringLiteral("nan");
        QTest::newRow("cosine finite") << int(MetricsModel::Cosine) << 0.5 << QStringLiteral("0.500000");
    }
    void metricsSpecialValues() {
        QFETCH(int, column);
        QFETCH(double, value);
        QFETCH(QString, text);
        auto next = std::make_shared<AnalysisReport>(*fx_->result.report);
        auto& m = next->configs[0].metrics;
        switch (column) {
        case MetricsModel::Snr: m.snr_db = value; break;
        case MetricsModel::Sqnr: m.sqnr_db = value; break;
        case MetricsModel::Mse: m.mse = value; break;
        case MetricsModel::MaxErr: m.max_abs = value; break;
        case MetricsModel::Cosine: m.cosine = value; break;
        default: QFAIL("no such column in this test");
        }
        MetricsModel model;
        model.setReport(next, {configColor(fx_->session.configs[0].color, 0), configColor(fx_->session.configs[1].color, 1)});
        QCOMPARE(model.index(0, column).data().toString(), text);
    }

    // Bits per weight that count padding (rows that are not whole blocks) carry a '*' and say why in the
    // tooltip; the copied and CSV values stay plain numbers.
    void metricsPaddedBits() {
        auto next = std::make_shared<AnalysisReport>(*fx_->result.report);
        auto& st = next->configs[0].storage;
        st.bits_per_weight = 12.0;
        st.padding = static_cast<std::uint64_t>(next->tensor.numel) * 3;  // 3 padded slots per value: 75%
        MetricsModel model;
        model.setReport(next, {configColor(fx_->session.configs[0].color, 0), configColor(fx_->session.configs[1].color, 1)});
        QCOMPARE(model.index(0, MetricsModel::Bits).data().toString(), QStringLiteral("12 *"));
        const QString tip = model.index(0, MetricsModel::Bits).data(Qt::ToolTipRole).toString();
        QVERIFY2(tip.startsWith(QLatin1String("12\n* 75% of the codes stored are padding")), qPrintable(tip));
        QVERIFY(!model.toCsv().contains(QLatin1Char('*')));
        QVERIFY(!model.toTsv({}).contains(QLatin1Char('*')));
        // the second configuration has no padding: its cell is the number alone
        QVERIFY(!model.index(1, MetricsModel::Bits).data().toString().contains(QLatin1Char('*')));
        // below 1% of the codes stored: not said
        st.padding = static_cast<std::uint64_t>(next->tensor.numel) / 200;
        model.setReport(next, {configColor(fx_->session.configs[0].color, 0), configColor(fx_->session.configs[1].color, 1)});
        QCOMPARE(model.index(0, MetricsModel::Bits).data().toString(), QStringLiteral("12"));
    }

    // The Clipped cell's tooltip says how many values saturated, what share, and why, in the format's own
    // terms: MXFP4's power-of-two scales, Q4_0's codes -8..7, a range setting's clip range. A configuration
    // that clips nothing shows its number alone. Each row's premise (it clips, or does not) is checked on
    // a real analysis of a normal tensor.
    void clippedTooltipSaysWhy_data() {
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("bits");
        QTest::addColumn<int>("range");
        QTest::addColumn<QString>("phrase");  // empty: nothing clips
        QTest::addColumn<int>("codes");       // the format's codes (the Levels cell's tooltip)
        QTest::addColumn<int>("group");       // INT's group size; 0: per tensor
        const int minmax = static_cast<int>(RangeMethod::MinMax);
        QTest::newRow("MXFP4") << static_cast<int>(Format::MXFP4) << 4 << minmax << "power of two" << 16 << 0;
        QTest::newRow("Q4_0") << static_cast<int>(Format::Q4_0) << 4 << minmax << "stop at +7" << 16 << 0;
        QTest::newRow("Q5_0") << static_cast<int>(Format::Q5_0) << 5 << minmax << "stop at +15" << 32 << 0;
        QTest::newRow("Q4_K") << static_cast<int>(Format::Q4_K) << 4 << minmax << "6 bits" << 16 << 0;
        QTest::newRow("Q2_K") << static_cast<int>(Format::Q2_K) << 2 << minmax << "4 or 6 bits" << 4 << 0;
        QTest::newRow("Q3_K") << static_cast<int>(Format::Q3_K) << 3 << minmax << "stops at +3" << 8 << 0;
        QTest::newRow("Q5_K") << static_cast<int>(Format::Q5_K) << 5 << minmax << "Q4_K and Q5_K" << 32 << 0;
        QTest::newRow("IQ4_XS") << static_cast<int>(Format::IQ4_XS) << 4 << minmax << "rounding to 6 bits" << 16 << 0;
        QTest::newRow("INT4 percentile") << static_cast<int>(Format::Int) << 4 << static_cast<int>(RangeMethod::Percentile)
                                         << "percentile 99" << 16 << 0;
        QTest::newRow("INT8 min-max") << static_cast<int>(Format::Int) << 8 << minmax << "" << 256 << 0;
        QTest::newRow("NF4") << static_cast<int>(Format::NF4) << 4 << minmax << "" << 16 << 0;
        // fp16 scales per group and a whole-code zero point: an end value can round past the end code
        QTest::newRow("INT8 asym min-max g8") << static_cast<int>(Format::Int) << 8 << minmax << "fp16" << 256 << 8;
    }
    void clippedTooltipSaysWhy() {
        QFETCH(int, format);
        QFETCH(int, bits);
        QFETCH(int, range);
        QFETCH(QString, phrase);
        QFETCH(int, codes);
        QFETCH(int, group);
        GeneratorSpec g;
        g.shape = {64, 256};
        g.std = 1.0;
        g.seed = 7;
        QuantConfig c;
        c.format = static_cast<Format>(format);
        c.bits = bits;
        c.range = static_cast<RangeMethod>(range);
        c.percentile = 99.0;
        if (group > 0) {
            c.scheme = Scheme::Asymmetric;
            c.granularity = Granularity::PerGroup;
            c.group_size = group;
        }
        AnalysisRequest req;
        req.tensor = std::make_shared<const Tensor>(generate(g));
        req.configs = {c};
        req.options.layer_sim.enabled = false;
        req.options.forward_diff = false;
        req.options.snr_sweep = false;
        auto rep = std::make_shared<const AnalysisReport>(analyze(req));
        QVERIFY(rep->configs.at(0).error.empty());
        const std::uint64_t clipped = rep->configs[0].metrics.clipped;
        MetricsModel model;
        model.setReport(rep, {QColor(Qt::black)});
        const QString tip = model.index(0, MetricsModel::Clipped).data(Qt::ToolTipRole).toString();
        if (phrase.isEmpty()) {
            QCOMPARE(model.index(0, MetricsModel::Levels).data(Qt::ToolTipRole).toString(),
                     QStringLiteral("%1 of the %2 codes occur").arg(rep->configs[0].metrics.levels_used).arg(codes));
            QCOMPARE(clipped, std::uint64_t(0));
            QCOMPARE(tip, QStringLiteral("0"));
            return;
        }
        QVERIFY(clipped > 0);
        // the Levels cell says how many of the format's codes occur
        const QString levels = model.index(0, MetricsModel::Levels).data(Qt::ToolTipRole).toString();
        QCOMPARE(levels, QStringLiteral("%1 of the %2 codes occur").arg(rep->configs[0].metrics.levels_used).arg(codes));
        const QString share = QString::number(100.0 * static_cast<double>(clipped) / (64 * 256), 'g', 3);
        QVERIFY2(tip.startsWith(QStringLiteral("%1 of 16384 values (%2%) saturated.\n").arg(clipped).arg(share)), qPrintable(tip));
        QVERIFY2(tip.contains(phrase), qPrintable(tip));
    }

    // Save, reopen, compare: every part of the session survives.
    void sessionRoundTrip() {
        Session s = Session::defaults();
        s.tensor.generator.distribution = Distribution::StudentT;
        s.tensor.generator.shape = {128, 256};
        s.tensor.generator.seed = 1234;
        s.tensor.generator.llm_channels = 3;
        QuantConfig g = defaultConfig(4);
        g.scheme = Scheme::Symmetric;
        g.granularity = Granularity::PerGroup;
        g.group_size = 64;
        g.color = 0x123456;
        g.label = "my INT4, g64";
        s.configs.push_back(g);
        s.analysis.histogram_bins = 77;
        s.analysis.layer_sim.layers = 9;
        s.analysis.layer_sim.activation = Activation::GELU;
        s.fit.model = "";
        s.fit.params = 3e9;
        s.fit.gpus = {"T4"};
        s.fit.headroom = 0.2;
        s.view.showLevels = false;
        s.view.levelsConfig = 2;
        s.view.logHistograms = !Session::defaults().view.logHistograms;
        s.lesson = Lesson{"Outliers, my way", "Look at row 7 <b>first</b>, then the table."};
        s.view.paretoMse = !Session::defaults().view.paretoMse;
        s.view.front = {"pareto", "channel_error"};
        const QString path = dir_.filePath("roundtrip.json");
        QString error;
        QVERIFY2(saveSession(path, s, &error), qPrintable(error));
        auto back = loadSession(path, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QVERIFY(back->tensor == s.tensor);
        QCOMPARE(back->configs.size(), s.configs.size());
        for (std::size_t i = 0; i < s.configs.size(); ++i) QVERIFY(back->configs[i] == s.configs[i]);
        QCOMPARE(back->analysis.histogram_bins, 77);
        QCOMPARE(back->analysis.layer_sim.layers, 9);
        QCOMPARE(back->analysis.layer_sim.activation, Activation::GELU);
        QVERIFY(back->fit == s.fit);
        QVERIFY(back->view == s.view);
        QVERIFY(back->lesson == s.lesson);
        QVERIFY(sessionToJson(*back) == sessionToJson(s));
    }

    // Bad session files: nullopt and a message naming the file and the rule.
    void badSession_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{ this is not json") << "at byte 3: invalid JSON";  // "{ th": no literal starts so
        QTest::newRow("empty file") << QByteArray() << "at byte 0: invalid JSON";
        QTest::newRow("syntax error on line 3") << QByteArray("{\n  \"quantlens_session\": 1,\n  \"configs\": [,]\n}") << "line 3, column 15";
        QTest::newRow("key written twice") << QByteArray(R"({"quantlens_session": 1, "configs": [], "configs": [{"bits": 4}]})")
                                           << "at byte 40: duplicate key 'configs'";
        QTest::newRow("not UTF-8") << QByteArray("{\"quantlens_session\": 1, \"lesson\": {\"title\": \"\xff\"}}") << "at byte 46: invalid UTF-8";
        QTest::newRow("other json") << QByteArray(R"({"hello": 1})") << "quantlens_session";
        QTest::newRow("future version") << QByteArray(R"({"quantlens_session": 2})") << "version";
        QTest::newRow("configs not array") << QByteArray(R"({"quantlens_session": 1, "configs": 3})") << "configs must be an array";
        QTest::newRow("bad bits") << QByteArray(R"({"quantlens_session": 1, "configs": [{"format": "int", "bits": "eight"}]})") << "configs[0]";
        QTest::newRow("bins out of range") << QByteArray(R"({"quantlens_session": 1, "analysis": {"histogram_bins": 1}})") << "histogram_bins";
        QTest::newRow("negative params") << QByteArray(R"({"quantlens_session": 1, "gpu_fit": {"params": -5}})") << "gpu_fit.params";
        QTest::newRow("file source without file") << QByteArray(R"({"quantlens_session": 1, "tensor": {"source": "file"}})") << "tensor.file";
        QTest::newRow("wrong type") << QByteArray(R"({"quantlens_session": 1, "view": {"show_levels": "yes"}})") << "view.show_levels";
        QTest::newRow("tensor too large") << QByteArray(R"({"quantlens_session": 1, "tensor": {"generator": {"shape": [65536, 65536]}}})")
                                          << "at most 2^28 values";
        QTest::newRow("lesson not an object") << QByteArray(R"({"quantlens_session": 1, "lesson": "read this"})") << "lesson must be an object";
        QTest::newRow("lesson title not text") << QByteArray(R"({"quantlens_session": 1, "lesson": {"title": 3}})") << "lesson.title";
    }
    void badSession() {
        QFETCH(QByteArray, content);
        QFETCH(QString, mentions);
        const QString path = dir_.filePath(QStringLiteral("bad_%1.json").arg(QTest::currentDataTag()).replace(' ', '_'));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(content);
        f.close();
        QString error;
        auto s = loadSession(path, &error);
        QVERIFY(!s.has_value());
        QVERIFY2(error.contains(mentions), qPrintable(error));
        QVERIFY2(error.contains(QFileInfo(path).fileName()), qPrintable(error));
    }

    // The session loader on damaged files: seeded mutations of every example's file (a byte changed, a
    // span cut out or repeated, a value anywhere replaced by another JSON type) each either load within
    // the rules the loader states, or fail with a message naming the file; none crashes.
    void sessionLoaderOnDamagedFiles() {
        constexpr int kByteMutations = 150, kValueMutations = 150;
        std::mt19937 rng(20261206);
        const QString path = dir_.filePath(QStringLiteral("damaged.json"));
        auto tryLoad = [&](const QByteArray& bytes) {
            QFile f(path);
            if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate)) return false;
            f.write(bytes);
            f.close();
            QString error;
            const auto s = loadSession(path, &error);
            if (!s) return error.contains(QStringLiteral("damaged.json"));
            double n = 1;
            for (auto d : s->tensor.generator.shape) n *= static_cast<double>(d);
            return s->configs.size() <= 32 && s->analysis.histogram_bins >= 2 && s->analysis.histogram_bins <= 2000 &&
                   n <= 268435456.0 && s->lesson.title.size() <= 8000 && s->lesson.note.size() <= 8000;
        };
        // every value's location in a JSON document, as pointers
        std::function<void(const nlohmann::json&, const nlohmann::json::json_pointer&, std::vector<nlohmann::json::json_pointer>&)> walk =
            [&](const nlohmann::json& j, const nlohmann::json::json_pointer& at, std::vector<nlohmann::json::json_pointer>& out) {
                out.push_back(at);
                if (j.is_object())
                    for (auto it = j.begin(); it != j.end(); ++it) walk(it.value(), at / it.key(), out);
                else if (j.is_array())
                    for (std::size_t i = 0; i < j.size(); ++i) walk(j[i], at / i, out);
            };
        const std::vector<nlohmann::json> others = {nullptr, true, -1, 1e308, "x", nlohmann::json::array(), nlohmann::json::object(), 3.5};
        int loaded = 0, refused = 0;
        for (const Example& e : examples()) {
            (void)loadExample(e.id, nullptr);  // registers the embedded files
            QFile src(QStringLiteral(":/examples/%1.json").arg(e.id));
            QVERIFY(src.open(QIODevice::ReadOnly));
            const QByteArray original = src.readAll();
            for (int k = 0; k < kByteMutations; ++k) {
                QByteArray b = original;
                const int at = static_cast<int>(rng() % static_cast<unsigned>(b.size()));
                switch (rng() % 3) {
                case 0: b[at] = static_cast<char>(rng() % 256); break;
                case 1: b.remove(at, static_cast<int>(rng() % 40)); break;
                default: b.insert(at, b.mid(at, static_cast<int>(rng() % 40))); break;
                }
                QVERIFY2(tryLoad(b), qPrintable(QStringLiteral("%1, byte mutation %2").arg(e.id).arg(k)));
            }
            const nlohmann::json doc = nlohmann::json::parse(original.constData(), original.constData() + original.size());
            std::vector<nlohmann::json::json_pointer> places;
            walk(doc, nlohmann::json::json_pointer(), places);
            for (int k = 0; k < kValueMutations; ++k) {
                nlohmann::json j = doc;
                const auto& place = places[rng() % places.size()];
                j[place] = others[rng() % others.size()];
                const std::string text = j.dump();
                const bool ok = tryLoad(QByteArray::fromStdString(text));
                QVERIFY2(ok, qPrintable(QStringLiteral("%1, %2 replaced").arg(e.id, QString::fromStdString(place.to_string()))));
                QString error;
                (loadSession(path, &error) ? loaded : refused) += 1;
            }
        }
        QVERIFY(loaded > 0 && refused > 0);  // both outcomes were exercised
    }

    void missingSession() {
        QString error;
        QVERIFY(!loadSession(dir_.filePath("does_not_exist.json"), &error).has_value());
        QVERIFY2(error.contains(QLatin1String("does_not_exist.json")), qPrintable(error));
    }
};

QTEST_MAIN(TestExport)
#include "test_export.moc"
