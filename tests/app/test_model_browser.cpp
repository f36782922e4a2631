// The model browser and the whole-model survey in the window, under the offscreen platform: open the
// tiny safetensors fixture (tests/data/models, written by make_fixtures.py), check the tree against the
// fixture's definition, filter, select a tensor like a user and wait for its analysis, refuse bad files
// without losing the window's state, flag a GGUF tensor stored as Q8_0, drop a file on the window, and
// survey the model (tables and chart equal to core's survey_model for the same file and configurations).
#include <QtTest>

#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QScrollBar>
#include <QTreeView>

#include <cmath>
#include <cstring>
#include <limits>

#include "qcp_complaints.h"
#include "test_settings.h"
#include "charts/survey_charts.h"
#include "core/model_file.h"
#include "core/model_survey.h"
#include "main_window.h"
#include "model_browser.h"
#include "session.h"
#include "in_a_dock.h"
#include "survey_panel.h"

using namespace ql;
using namespace ql::ui;

namespace {

constexpr int kAnalysisTimeoutMs = 60000;
const QString kModel = QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_model.safetensors");
const QString kGguf = QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_q8_0.gguf");

// The fixture's values (make_fixtures.py, tiny_model_value): ((i * 37 + 11) mod 23 - 11) / 8 * scale.
double fixtureValue(int i, double scale) { return ((i * 37 + 11) % 23 - 11) / 8.0 * scale; }

Session smallSession() {
    Session s = Session::defaults();
    s.tensor.generator.shape = {64, 64};
    s.analysis.layer_sim.width = 32;
    s.analysis.layer_sim.batch = 4;
    return s;
}

// Leaves of the tree (tensors) as the view shows them: full name -> index in the view's model.
void collectLeaves(const QAbstractItemModel* m, const QModelIndex& parent, QMap<QString, QModelIndex>& out) {
    for (int r = 0; r < m->rowCount(parent); ++r) {
        const QModelIndex i = m->index(r, 0, parent);
        const QString name = i.data(ModelBrowser::FullNameRole).toString();
        if (!name.isEmpty()) out.insert(name, i);
        collectLeaves(m, i, out);
    }
}

QMap<QString, QModelIndex> leaves(ModelBrowser* b) {
    QMap<QString, QModelIndex> out;
    collectLeaves(b->treeModel(), QModelIndex(), out);
    return out;
}

// The group row reached by following name parts from the top ("model", "layers", "0").
QModelIndex group(const QAbstractItemModel* m, const QStringList& parts) {
    QModelIndex at;
    for (const QString& p : parts) {
        QModelIndex next;
        for (int r = 0; r < m->rowCount(at); ++r)
            if (m->index(r, 0, at).data().toString() == p) next = m->index(r, 0, at);
        if (!next.isValid()) return {};
        at = next;
    }
    return at;
}

} // namespace

class TestModelBrowser : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    std::unique_ptr<MainWindow> w_;

    ModelBrowser* browser() const { return w_->modelBrowser(); }

    bool waitShown(const std::function<void()>& trigger) {
        QSignalSpy spy(w_.get(), &MainWindow::analysisShown);
        trigger();
        if (!spy.wait(kAnalysisTimeoutMs)) return false;
        w_->runner()->waitForIdle();
        return true;
    }

private slots:
    void cleanup() { failOnQcpComplaints(); }  // qcp_complaints.h
    void initTestCase() {
        listenForQcpComplaints();
        useEmptyTestSettings(QStringLiteral("test_model_browser"));
        QVERIFY(dir_.isValid());
        w_ = std::make_unique<MainWindow>();
        w_->resize(1400, 900);
        w_->show();
        QVERIFY(browser());
        QVERIFY(waitShown([this] { w_->setSession(smallSession()); }));
    }
    void cleanupTestCase() {
        w_.reset();
        QSettings().clear();
    }

    // Opening shows every tensor and makes the first weight matrix the analysed tensor.
    void openSafetensors() {
        QVERIFY(waitShown([&] { QVERIFY(w_->loadTensorFile(kModel)); }));
        QCOMPARE(browser()->filePath(), QFileInfo(kModel).absoluteFilePath());
        QCOMPARE(leaves(browser()).size(), 9);
        QVERIFY(w_->session().tensor.fromFile);
        QCOMPARE(QString::fromStdString(w_->session().tensor.tensor), QStringLiteral("model.embed_tokens.weight"));
        QCOMPARE(w_->lastReport()->tensor.shape, (std::vector<std::int64_t>{16, 8}));
        QCOMPARE(ModelBrowser::recentFiles().value(0), QFileInfo(kModel).absoluteFilePath());
    }

    void treeRow_data() {
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("shape");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<qlonglong>("params");
        QTest::addColumn<qulonglong>("bytes");
        // From make_fixtures.py's tiny_model(): shape, dtype, and bytes = params x dtype size. The label is
        // the part of the name below the row's group; a group of a single tensor merges into its row.
        QTest::newRow("model.embed_tokens.weight") << "embed_tokens.weight" << "16 x 8" << "F32" << 128LL << 512ULL;
        QTest::newRow("model.layers.0.self_attn.q_proj.weight") << "q_proj.weight" << "8 x 8" << "F16" << 64LL << 128ULL;
        QTest::newRow("model.layers.0.self_attn.k_proj.weight") << "k_proj.weight" << "4 x 8" << "F32" << 32LL << 128ULL;
        QTest::newRow("model.layers.0.mlp.up_proj.weight") << "mlp.up_proj.weight" << "12 x 8" << "BF16" << 96LL << 192ULL;
        QTest::newRow("model.layers.0.input_layernorm.weight") << "input_layernorm.weight" << "8" << "F32" << 8LL << 32ULL;
        QTest::newRow("model.layers.1.self_attn.q_proj.weight") << "self_attn.q_proj.weight" << "8 x 8" << "F32" << 64LL << 256ULL;
        QTest::newRow("model.layers.1.mlp.up_proj.weight") << "mlp.up_proj.weight" << "12 x 8" << "F32" << 96LL << 384ULL;
        QTest::newRow("model.norm.weight") << "norm.weight" << "8" << "F32" << 8LL << 32ULL;
        QTest::newRow("lm_head.weight") << "lm_head.weight" << "16 x 8" << "F32" << 128LL << 512ULL;
    }
    void treeRow() {
        QFETCH(QString, label);
        QFETCH(QString, shape);
        QFETCH(QString, dtype);
        QFETCH(qlonglong, params);
        QFETCH(qulonglong, bytes);
        const QString name = QString::fromLatin1(QTest::currentDataTag());
        const auto all = leaves(browser());
        QVERIFY2(all.contains(name), qPrintable(name));
        const QModelIndex i = all.value(name);
        QCOMPARE(i.data().toString(), label);
        QCOMPARE(i.siblingAtColumn(ModelBrowser::ShapeColumn).data().toString(), shape);
        QCOMPARE(i.siblingAtColumn(ModelBrowser::DTypeColumn).data().toString(), dtype);
        QCOMPARE(i.data(ModelBrowser::ParamsRole).toLongLong(), params);
        QCOMPARE(i.data(ModelBrowser::BytesRole).toULongLong(), bytes);
    }

    // Groups follow the dotted names and sum their tensors.
    void groupsSumTheirTensors() {
        const QModelIndex layer0 = group(browser()->treeModel(), {QStringLiteral("model"), QStringLiteral("layers"), QStringLiteral("0")});
        QVERIFY(layer0.isValid());
        QCOMPARE(layer0.data(ModelBrowser::ParamsRole).toLongLong(), 64LL + 32 + 96 + 8);
        QCOMPARE(layer0.data(ModelBrowser::BytesRole).toULongLong(), 128ULL + 128 + 192 + 32);
        const QModelIndex layers = group(browser()->treeModel(), {QStringLiteral("model"), QStringLiteral("layers")});
        QCOMPARE(browser()->treeModel()->rowCount(layers), 2);
    }

    void filter_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QStringList>("shown");
        QTest::newRow("q_proj") << "q_proj" << QStringList{"model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.q_proj.weight"};
        QTest::newRow("two words") << "layers.1 UP" << QStringList{"model.layers.1.mlp.up_proj.weight"};
        QTest::newRow("no match") << "decoder" << QStringList{};
        QTest::newRow("norm") << "norm" << QStringList{"model.layers.0.input_layernorm.weight", "model.norm.weight"};
    }
    void filter() {
        QFETCH(QString, text);
        QFETCH(QStringList, shown);
        browser()->setFilter(text);
        QStringList got = leaves(browser()).keys();
        got.sort();
        shown.sort();
        QCOMPARE(got, shown);
        browser()->setFilter(QString());
        QCOMPARE(leaves(browser()).size(), 9);
    }

    // A click on a tensor row analyses that tensor with the window's configurations.
    void selectingAnalyses() {
        const QString name = QStringLiteral("model.layers.0.mlp.up_proj.weight");
        const QModelIndex i = leaves(browser()).value(name);
        QVERIFY(i.isValid());
        const auto configsBefore = w_->session().configs;
        QVERIFY(waitShown([&] { browser()->tree()->setCurrentIndex(i); }));
        QCOMPARE(QString::fromStdString(w_->session().tensor.tensor), name);
        QVERIFY(w_->session().configs == configsBefore);
        const auto r = w_->lastReport();
        QCOMPARE(r->tensor.shape, (std::vector<std::int64_t>{12, 8}));
        double lo = INFINITY, hi = -INFINITY;
        for (int k = 0; k < 96; ++k) {
            lo = std::min(lo, fixtureValue(k, 0.25));
            hi = std::max(hi, fixtureValue(k, 0.25));
        }
        QCOMPARE(r->tensor.min, lo);  // multiples of 1/32: exact in BF16
        QCOMPARE(r->tensor.max, hi);
        QCOMPARE(r->configs.size(), configsBefore.size());
        QVERIFY(browser()->storedFormatLabel()->isHidden());
    }

    void badFileKeepsState_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");  // a part of the error the user sees
        QByteArray huge(8, '\0');
        huge[5] = 1;  // header length 2^40: larger than the file
        huge += "{}";
        QTest::newRow("header larger than the file") << huge << "huge.safetensors" << "huge.safetensors";
        QTest::newRow("empty file") << QByteArray() << "empty.safetensors" << "empty.safetensors";
        QTest::newRow("pickle") << QByteArray("\x80\x02}q\x00.", 6) << "model.pt" << "pickle";
    }
    void badFileKeepsState() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, file);
        QFETCH(QString, message);
        const QString path = dir_.filePath(file);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        const QByteArray before = QByteArray::fromStdString(sessionToJson(w_->session()).dump());
        const auto reportBefore = w_->lastReport();
        const QString currentBefore = browser()->currentTensor();
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QRegularExpression::escape(message), QRegularExpression::CaseInsensitiveOption));
        QVERIFY(!w_->loadTensorFile(path));
        QTest::qWait(50);  // nothing may be queued behind the error
        QVERIFY(!w_->runner()->busy());
        QCOMPARE(QByteArray::fromStdString(sessionToJson(w_->session()).dump()), before);
        QCOMPARE(w_->lastReport(), reportBefore);
        QCOMPARE(browser()->filePath(), QFileInfo(kModel).absoluteFilePath());
        QCOMPARE(browser()->currentTensor(), currentBefore);
        QCOMPARE(leaves(browser()).size(), 9);
    }

    // A GGUF tensor stored as Q8_0: the browser says so, and can add Q8_0 to compare and show its levels.
    // The file arrives by drag and drop.
    void quantizedGgufByDrop() {
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(kGguf)});
        // A drag enters first (Qt delivers a drop only to the widget that accepted the drag).
        QDragEnterEvent enter(QPoint(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(w_.get(), &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(100, 100), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QVERIFY(waitShown([&] { QApplication::sendEvent(w_.get(), &drop); }));
        QCOMPARE(browser()->currentTensor(), QStringLiteral("blk.0.attn_q.weight"));
        QCOMPARE(w_->lastReport()->tensor.shape, (std::vector<std::int64_t>{2, 32}));  // GGUF ne = [32, 2]
        QLabel* note = browser()->storedFormatLabel();
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains(QStringLiteral("Q8_0")), qPrintable(note->text()));
        QPushButton* compare = nullptr;
        for (QPushButton* b : browser()->findChildren<QPushButton*>())
            if (b->text().contains(QStringLiteral("Q8_0"))) compare = b;
        QVERIFY(compare && !compare->isHidden());
        const std::size_t n = w_->session().configs.size();
        QVERIFY(waitShown([&] { compare->click(); }));
        QCOMPARE(w_->session().configs.size(), n + 1);
        QVERIFY(w_->session().configs.back().format == Format::Q8_0);
        QCOMPARE(w_->session().view.levelsConfig, int(n));
        QVERIFY(w_->session().view.showLevels);
        QVERIFY(w_->lastReport()->configs.back().error.empty());
        // The F32 norm is not stored quantized.
        QVERIFY(browser()->selectTensor(QStringLiteral("blk.0.attn_norm.weight")));
        QVERIFY(note->isHidden());
    }

    // llama.cpp's NVFP4 keeps no tensor scale, QuantLens' NVFP4 (ModelOpt's) does: the browser says the
    // tensor is stored quantized but offers no "compare with its stored format"; the MXFP4 tensor of the
    // same file offers one.
    void nvfp4GgufOffersNoStoredFormat() {
        QString error;
        QVERIFY2(browser()->openFile(QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_fp4.gguf"), &error), qPrintable(error));
        const auto compareButton = [&](const QString& format) {
            for (QPushButton* b : browser()->findChildren<QPushButton*>())
                if (b->text().startsWith(QStringLiteral("Compare with its stored format")) && b->text().contains(format) && !b->isHidden())
                    return b;
            return static_cast<QPushButton*>(nullptr);
        };
        QLabel* note = browser()->storedFormatLabel();
        QVERIFY(waitShown([&] { QVERIFY(browser()->selectTensor(QStringLiteral("blk.0.ffn_up.weight"))); }));
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains(QStringLiteral("NVFP4")), qPrintable(note->text()));
        QVERIFY(!compareButton(QStringLiteral("NVFP4")));
        QVERIFY2(note->text().contains(QStringLiteral("per-tensor FP32 scale")), qPrintable(note->text()));  // and says why
        QCOMPARE(w_->lastReport()->tensor.shape, (std::vector<std::int64_t>{2, 64}));
        QCOMPARE(w_->lastReport()->tensor.max, 6.0 * 2.0);  // code 7 (6) under the scale 0x40 (2)
        QVERIFY(waitShown([&] { QVERIFY(browser()->selectTensor(QStringLiteral("blk.0.ffn_down.weight"))); }));
        QVERIFY2(note->text().contains(QStringLiteral("MXFP4")), qPrintable(note->text()));
        QVERIFY(!note->text().contains(QStringLiteral("per-tensor FP32 scale")));
        QVERIFY(compareButton(QStringLiteral("MXFP4")));
    }

    // llama.cpp's i-quants below 4 bits (codebook indices) decode, and the note says what they store and why
    // no stored format is offered: 8 weights per index for IQ2_XXS, 4 for IQ3_S.
    void iquantGgufDecodesWithoutStoredFormat_data() {
        QTest::addColumn<QString>("tensor");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("group");
        QTest::addColumn<double>("max");
        QTest::addColumn<std::vector<std::int64_t>>("shape");
        QTest::newRow("IQ2_XXS") << QStringLiteral("blk.0.ffn_up.weight") << QStringLiteral("IQ2_XXS") << QStringLiteral("group of 8")
                                 << 14.0 << std::vector<std::int64_t>{2, 256};  // 2 x (1/2 + 3) / 4 x level 8
        QTest::newRow("IQ3_S") << QStringLiteral("blk.0.ffn_down.weight") << QStringLiteral("IQ3_S") << QStringLiteral("group of 4")
                               << 1.0 << std::vector<std::int64_t>{1, 256};  // 1 x (1 + 2 x 0) x level 1
    }
    void iquantGgufDecodesWithoutStoredFormat() {
        QFETCH(QString, tensor);
        QFETCH(QString, format);
        QFETCH(QString, group);
        QFETCH(double, max);
        QFETCH(std::vector<std::int64_t>, shape);
        QString error;
        QVERIFY2(browser()->openFile(QStringLiteral(QL_TEST_DATA_DIR "/models/tiny_iq.gguf"), &error), qPrintable(error));
        QLabel* note = browser()->storedFormatLabel();
        QVERIFY(waitShown([&] { QVERIFY(browser()->selectTensor(tensor)); }));
        QVERIFY(!note->isHidden());
        QVERIFY2(note->text().contains(format) && note->text().contains(QStringLiteral("codebook")) && note->text().contains(group),
                 qPrintable(note->text()));
        for (QPushButton* b : browser()->findChildren<QPushButton*>())
            QVERIFY2(!(b->text().startsWith(QStringLiteral("Compare with its stored format")) && !b->isHidden()), qPrintable(b->text()));
        QCOMPARE(w_->lastReport()->tensor.shape, shape);
        QCOMPARE(w_->lastReport()->tensor.max, max);
    }

    // The summary table's cells for values a chart cannot draw: SQNR at +-infinity with its sign (-inf: a
    // format whose fp16 block scales overflow on some tensor), none as "-", and a configuration whose rows
    // pad its blocks marked '*' with the reason in the tooltip.
    void surveySummaryCells_data() {
        QTest::addColumn<double>("mean");
        QTest::addColumn<double>("worst");
        QTest::addColumn<double>("padding");
        QTest::addColumn<QString>("meanText");
        QTest::addColumn<QString>("worstText");
        QTest::addColumn<QString>("bitsText");
        const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("finite") << 31.5 << 20.25 << 0.0 << QStringLiteral("31.50 dB") << QStringLiteral("20.25 dB") << QStringLiteral("4.500");
        QTest::newRow("a tensor overflows") << 30.0 << -inf << 0.0 << QStringLiteral("30.00 dB") << QStringLiteral("-inf") << QStringLiteral("4.500");
        QTest::newRow("exact everywhere") << inf << inf << 0.0 << QStringLiteral("inf") << QStringLiteral("inf") << QStringLiteral("4.500");
        QTest::newRow("no tensor") << nan << nan << 0.0 << QStringLiteral("-") << QStringLiteral("-") << QStringLiteral("4.500");
        QTest::newRow("padded rows") << 31.5 << 20.25 << 0.97 << QStringLiteral("31.50 dB") << QStringLiteral("20.25 dB") << QStringLiteral("4.500 *");
    }
    void surveySummaryCells() {
        QFETCH(double, mean);
        QFETCH(double, worst);
        QFETCH(double, padding);
        QFETCH(QString, meanText);
        QFETCH(QString, worstText);
        QFETCH(QString, bitsText);
        auto s = std::make_shared<ModelSurvey>();
        s->file = "hand.safetensors";
        s->format = "safetensors";
        ql::QuantConfig c;
        c.format = ql::Format::Q4_0;
        s->configs = {c};
        ql::SurveyConfigSummary sm;
        sm.mean_sqnr_db = mean;
        sm.min_sqnr_db = worst;
        sm.bits_per_weight = 4.5;
        sm.tensors = 3;
        sm.padding_fraction = padding;
        sm.padded_tensors = padding > 0 ? 2 : 0;
        s->summary = {sm};
        SurveyPanel panel;
        panel.showSurvey(s);
        QCOMPARE(panel.summaryTable()->item(0, 2)->text(), meanText);
        QCOMPARE(panel.summaryTable()->item(0, 3)->text(), worstText);
        QCOMPARE(panel.summaryTable()->item(0, 4)->text(), bitsText);
        const QString tip = panel.summaryTable()->item(0, 4)->toolTip();
        QCOMPARE(tip.contains(QStringLiteral("2 tensors' rows are not whole blocks, so 97% of the codes stored are padding")), padding > 0);
    }

    // The survey of the whole model equals core's survey of the same file with the same configurations.
    void surveyMatchesCore() {
        QVERIFY(waitShown([&] { QVERIFY(w_->loadTensorFile(kModel)); }));
        auto* survey = w_->findChild<SurveyPanel*>();
        QVERIFY(survey);
        QSignalSpy done(survey, &SurveyPanel::finished);
        browser()->surveyAction()->trigger();
        QVERIFY(done.wait(kAnalysisTimeoutMs));
        const auto shown = survey->survey();
        QVERIFY(shown && !shown->cancelled);

        auto file = open_model_file(kModel.toStdString());
        QVERIFY(file.ok());
        const ModelSurvey want = survey_model(*file.value(), w_->session().configs);
        QCOMPARE(shown->total_params, std::int64_t(624));  // the fixture's 9 tensors
        QCOMPARE(shown->tensors.size(), std::size_t(7));     // rank >= 2: the norms are left out
        QCOMPARE(shown->tensors.size(), want.tensors.size());
        // Chart: one curve per configuration, one point per weight tensor, core's SQNR values.
        ModelSqnrChart* chart = survey->sqnrChart();
        QCOMPARE(chart->graphCount(), int(want.configs.size()));
        for (int c = 0; c < chart->graphCount(); ++c) {
            auto data = chart->graph(c)->data();
            QCOMPARE(data->size(), int(want.tensors.size()));
            int k = 0;
            for (auto it = data->constBegin(); it != data->constEnd(); ++it, ++k)
                QCOMPARE(it->value, want.tensors[std::size_t(k)].sqnr_db[std::size_t(c)]);
        }
        // Tables: a row per configuration and per memory format.
        QCOMPARE(survey->summaryTable()->rowCount(), int(want.summary.size()));
        for (int r = 0; r < int(want.summary.size()); ++r)
            QCOMPARE(survey->summaryTable()->item(r, 2)->toolTip().toDouble(), want.summary[std::size_t(r)].mean_sqnr_db);
        QCOMPARE(survey->memoryTable()->rowCount(), int(want.memory.size()));
        // GPU fit for the real parameter count.
        QVERIFY(survey->gpuFit());
        QCOMPARE(survey->gpuFit()->params, 624.0);
        QCOMPARE(survey->fitChart()->inputs().gpuFit, survey->gpuFit());
        // Exportable like every chart.
        const QString png = dir_.filePath(QStringLiteral("model_sqnr.png"));
        QString error;
        QVERIFY2(chart->exportTo(png, ExportFormat::Png, QSize(800, 500), 96, &error), qPrintable(error));
        QVERIFY(QImage(png).size() == QSize(800, 500));
    }

    // In a short panel (the survey's tab in the default arrangement, about 440x260) the charts are tabs
    // beside the tables, each with the whole panel (under the tables they were scrolled out of sight); a
    // tall panel shows them under the tables, and a chart chosen in the short one stays chosen.
    void surveyPartsInAShortPanel_data() {
        QTest::addColumn<QSize>("size");
        QTest::addColumn<bool>("beside");
        QTest::newRow("the default window's tab, 440x260") << QSize(440, 260) << true;
        QTest::newRow("a tall column, 440x700") << QSize(440, 700) << false;
    }
    void surveyPartsInAShortPanel() {
        QFETCH(QSize, size);
        QFETCH(bool, beside);
        auto* panel = new SurveyPanel;
        InADock dock(panel, size);
        QVERIFY(QTest::qWaitForWindowExposed(&dock));
        QTRY_COMPARE(panel->chartsBesideTables(), beside);
        ChartView* chart = panel->sqnrChart();
        auto* tabs = qobject_cast<QTabWidget*>(chart->parentWidget() ? chart->parentWidget()->parentWidget() : nullptr);
        QVERIFY(tabs);
        tabs->setCurrentWidget(chart);
        QTest::qWait(20);
        // the chart lies within the dock's view, and is high enough to read
        const QRect inDock(chart->mapTo(&dock, QPoint(0, 0)), chart->size());
        QVERIFY2(dock.rect().contains(inDock), qPrintable(QStringLiteral("chart at %1,%2 %3x%4 in a %5x%6 dock").arg(inDock.x()).arg(inDock.y())
                                                              .arg(inDock.width()).arg(inDock.height()).arg(size.width()).arg(size.height())));
        QCOMPARE(dock.scroll()->verticalScrollBar()->maximum(), 0);  // nothing scrolled out of sight
        QVERIFY2(chart->height() >= size.height() / 2, qPrintable(QStringLiteral("a %1 px chart in a %2 px dock").arg(chart->height()).arg(size.height())));
        dock.resize(beside ? QSize(440, 700) : QSize(440, 260));
        QTRY_COMPARE(panel->chartsBesideTables(), !beside);
        if (beside)  // the chart the short panel showed is the one shown under the tables
            QVERIFY(chart->parentWidget() && qobject_cast<QTabWidget*>(chart->parentWidget()->parentWidget())->currentWidget() == chart);
    }

    // Cancel stops a running survey between (or inside) tensors; the panel then surveys again normally.
    void surveyCancel() {
        // 48 tensors of 256 x 256 float32.
        constexpr int kTensors = 48, kRows = 256, kCols = 256;
        std::string header = "{";
        std::uint64_t offset = 0;
        const std::uint64_t bytes = std::uint64_t(kRows) * kCols * 4;
        for (int i = 0; i < kTensors; ++i) {
            header += (i ? "," : "") + QStringLiteral("\"blk.%1.w\":{\"dtype\":\"F32\",\"shape\":[%2,%3],\"data_offsets\":[%4,%5]}")
                                          .arg(i).arg(kRows).arg(kCols).arg(offset).arg(offset + bytes).toStdString();
            offset += bytes;
        }
        header += "}";
        QByteArray file(8, '\0');
        const std::uint64_t hlen = header.size();
        std::memcpy(file.data(), &hlen, 8);
        file += QByteArray::fromStdString(header);
        QByteArray data(static_cast<qsizetype>(offset), '\0');
        auto* f32 = reinterpret_cast<float*>(data.data());
        for (std::uint64_t k = 0; k < offset / 4; ++k) f32[k] = float((k * 7919) % 13) - 6.0f;
        file += data;
        const QString path = dir_.filePath(QStringLiteral("big.safetensors"));
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(out.write(file), file.size());
        out.close();

        auto model = open_model_file(path.toStdString());
        QVERIFY(model.ok());
        std::shared_ptr<const ModelFile> shared(std::move(model).value().release());
        auto* survey = w_->findChild<SurveyPanel*>();
        QSignalSpy done(survey, &SurveyPanel::finished);
        // Cancel from the GUI thread once the job has surveyed some weights; the blocking connection
        // holds the job at that point until cancel() has run, so the stop lands mid-survey.
        auto hold = connect(survey, &SurveyPanel::workerProgress, this, [survey](qulonglong doneWeights, qulonglong) {
            if (doneWeights > 0) survey->cancel();
        }, Qt::BlockingQueuedConnection);
        survey->start(shared, w_->session().configs, w_->session().fit);
        QVERIFY(survey->busy());
        QVERIFY(!survey->survey());  // the previous survey's results are gone
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 1, kAnalysisTimeoutMs);
        disconnect(hold);
        QVERIFY(survey->survey());
        QVERIFY(survey->survey()->cancelled);
        QVERIFY(survey->survey()->tensors.size() <= 2);  // stopped in the tensor it was at, or the next
        // Again, to the end.
        survey->start(shared, {defaultConfig(8)}, w_->session().fit);
        QTRY_COMPARE_WITH_TIMEOUT(done.count(), 2, kAnalysisTimeoutMs);
        QVERIFY(!survey->survey()->cancelled);
        QCOMPARE(survey->survey()->tensors.size(), std::size_t(kTensors));
        QCOMPARE(survey->sqnrChart()->graphCount(), 1);
    }

    void layerNumbers_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("layer");
        QTest::newRow("hf") << "model.layers.12.self_attn.q_proj.weight" << 12;
        QTest::newRow("gguf") << "blk.3.attn_q.weight" << 3;
        QTest::newRow("none") << "lm_head.weight" << -1;
        QTest::newRow("digits inside a word") << "conv2d.weight" << -1;
    }
    void layerNumbers() {
        QFETCH(QString, name);
        QFETCH(int, layer);
        QCOMPARE(ModelSqnrChart::layerOf(name.toStdString()), layer);
    }
};

QTEST_MAIN(TestModelBrowser)
#include "test_model_browser.moc"
