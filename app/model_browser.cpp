// Model browser (see model_browser.h): the tree of a weights file's tensors, the filter, metadata,
// recent files, and the wiring of the browser and the survey into the main window.
#include "model_browser.h"
#include "scrollable.h"

#include <QAction>
#include <QCollator>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QStandardItemModel>
#include <QStatusBar>
#include <QTableWidget>
#include <QTabWidget>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

#include <map>

#include "charts/survey_charts.h"
#include "main_window.h"
#include "survey_panel.h"

namespace ql::ui {

QString shortCount(double n) {
    if (n >= 1e9) return QObject::tr("%1 B").arg(n / 1e9, 0, 'f', 2);
    if (n >= 1e6) return QObject::tr("%1 M").arg(n / 1e6, 0, 'f', 2);
    if (n >= 1e3) return QObject::tr("%1 k").arg(n / 1e3, 0, 'f', 1);
    return QString::number(n, 'f', 0);
}

QString shortBytes(double bytes) {
    if (bytes >= 1e9) return QObject::tr("%1 GB").arg(bytes / 1e9, 0, 'f', 2);
    if (bytes >= 1e6) return QObject::tr("%1 MB").arg(bytes / 1e6, 0, 'f', 2);
    if (bytes >= 1e3) return QObject::tr("%1 kB").arg(bytes / 1e3, 0, 'f', 1);
    return QObject::tr("%1 bytes").arg(bytes, 0, 'f', 0);
}

namespace {

constexpr int kMaxRecent = 10;
const QString kRecentKey = QStringLiteral("recent/models");

QString shapeText(const std::vector<std::int64_t>& shape) {
    if (shape.empty()) return QObject::tr("scalar");
    QStringList dims;
    for (auto d : shape) dims << QString::number(d);
    return dims.join(QStringLiteral(" x "));
}

// Sorts names naturally ("layers.2" before "layers.10") and numbers as numbers.
class TensorFilterModel : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    // Every whitespace-separated word must occur in the tensor's full name (case-insensitive).
    void setWords(const QString& text) {
        words_ = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const QModelIndex i = sourceModel()->index(row, 0, parent);
        const QString name = i.data(ModelBrowser::FullNameRole).toString();
        if (name.isEmpty()) return words_.isEmpty();  // groups show when a child does (recursive filtering)
        for (const QString& w : words_)
            if (!name.contains(w, Qt::CaseInsensitive)) return false;
        return true;
    }
    bool lessThan(const QModelIndex& a, const QModelIndex& b) const override {
        const QVariant va = a.data(ModelBrowser::SortRole), vb = b.data(ModelBrowser::SortRole);
        if (va.typeId() == QMetaType::QString || vb.typeId() == QMetaType::QString) return collator_.compare(va.toString(), vb.toString()) < 0;
        return va.toDouble() < vb.toDouble();
    }

private:
    QStringList words_;
    QCollator collator_ = [] {
        QCollator c;
        c.setNumericMode(true);
        c.setCaseSensitivity(Qt::CaseInsensitive);
        return c;
    }();
};

QList<QStandardItem*> makeRow(const QString& label, const QString& fullName) {
    QList<QStandardItem*> row;
    for (int c = 0; c < ModelBrowser::ColumnCount; ++c) {
        auto* it = new QStandardItem;
        it->setEditable(false);
        if (c >= ModelBrowser::ParamsColumn) it->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
        row << it;
    }
    row[0]->setText(label);
    row[0]->setData(fullName, ModelBrowser::FullNameRole);
    row[0]->setData(label, ModelBrowser::SortRole);
    return row;
}

void setNumbers(const QList<QStandardItem*>& row, qlonglong params, qulonglong bytes) {
    row[ModelBrowser::ParamsColumn]->setText(shortCount(static_cast<double>(params)));
    row[ModelBrowser::ParamsColumn]->setToolTip(QObject::tr("%1 parameters").arg(QLocale().toString(params)));
    row[ModelBrowser::ParamsColumn]->setData(static_cast<double>(params), ModelBrowser::SortRole);
    row[ModelBrowser::BytesColumn]->setText(shortBytes(static_cast<double>(bytes)));
    row[ModelBrowser::BytesColumn]->setToolTip(formatBytes(static_cast<double>(bytes)) + QObject::tr(" as stored (%1 bytes)").arg(QLocale().toString(bytes)));
    row[ModelBrowser::BytesColumn]->setData(static_cast<double>(bytes), ModelBrowser::SortRole);
    row[0]->setData(params, ModelBrowser::ParamsRole);
    row[0]->setData(bytes, ModelBrowser::BytesRole);
}

// The tree of dotted names: a group per prefix, a leaf per tensor; groups sum their tensors.
struct Group {
    std::map<QString, std::unique_ptr<Group>> children;  // by name part
    QList<QStandardItem*> row;
    qlonglong params = 0;
    qulonglong bytes = 0;
    int tensors = 0;
};

void finishGroups(Group& g) {
    for (auto& [_, c] : g.children) {
        finishGroups(*c);
        if (!c->row.isEmpty() && c->row[0]->data(ModelBrowser::FullNameRole).toString().isEmpty()) {
            setNumbers(c->row, c->params, c->bytes);
            c->row[ModelBrowser::ShapeColumn]->setText(QObject::tr("%n tensor(s)", "", c->tensors));
        }
    }
}

// A group holding a single tensor and nothing else becomes that tensor's row ("q_proj > weight" shows
// as "q_proj.weight"), so the tree is no deeper than the names need.
void mergeSingleTensorGroups(QStandardItem* parent) {
    for (int r = 0; r < parent->rowCount(); ++r) {
        QStandardItem* g = parent->child(r, 0);
        if (!g->data(ModelBrowser::FullNameRole).toString().isEmpty()) continue;
        mergeSingleTensorGroups(g);
        if (g->rowCount() != 1 || g->child(0, 0)->data(ModelBrowser::FullNameRole).toString().isEmpty()) continue;
        QList<QStandardItem*> leaf = g->takeRow(0);
        leaf[0]->setText(g->text() + QLatin1Char('.') + leaf[0]->text());
        leaf[0]->setData(leaf[0]->text(), ModelBrowser::SortRole);
        parent->removeRow(r);
        parent->insertRow(r, leaf);
    }
}

void showError(QWidget* parent, const QString& title, const QString& message) {
    // Dialogs wait for a click; under the offscreen platform (tests, headless runs) they only log.
    if (QGuiApplication::platformName() == QLatin1String("offscreen")) {
        qWarning("%s: %s", qPrintable(title), qPrintable(message));
        return;
    }
    QMessageBox::warning(parent, title, message);
}

} // namespace

ModelBrowser::ModelBrowser(QWidget* parent) : QWidget(parent) {
    auto* v = new QVBoxLayout(this);
    auto* buttons = new QHBoxLayout;
    auto* open = new QPushButton(tr("Open model..."), this);
    open->setToolTip(tr("safetensors, GGUF, ONNX, TensorFlow.js, .npz or .npy; you can also drop a file on the window"));
    auto* recent = new QToolButton(this);
    recent->setText(tr("Recent"));
    recent->setPopupMode(QToolButton::InstantPopup);
    recentMenu_ = new QMenu(tr("Recent model files"), this);
    recent->setMenu(recentMenu_);
    surveyButton_ = new QPushButton(tr("Survey whole model"), this);
    surveyButton_->setToolTip(tr("Quantize every weight tensor with the current configurations: SQNR per layer, memory and GPU fit"));
    surveyButton_->setEnabled(false);
    buttons->addWidget(open);
    buttons->addWidget(recent);
    buttons->addStretch(1);
    buttons->addWidget(surveyButton_);
    v->addLayout(buttons);

    header_ = new QLabel(tr("No model open. Open a weights file to browse its tensors."), this);
    header_->setWordWrap(true);
    header_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    v->addWidget(header_);
    filter_ = new QLineEdit(this);
    filter_->setPlaceholderText(tr("Filter tensors (words in the name, e.g. \"layers.3 q_proj\")"));
    filter_->setClearButtonEnabled(true);
    v->addWidget(filter_);

    tabs_ = new QTabWidget(this);
    items_ = new QStandardItemModel(this);
    items_->setHorizontalHeaderLabels({tr("Name"), tr("Shape"), tr("Type"), tr("Parameters"), tr("Bytes")});
    auto* proxy = new TensorFilterModel(this);
    proxy_ = proxy;
    proxy_->setSourceModel(items_);
    proxy_->setRecursiveFilteringEnabled(true);
    proxy_->setSortRole(SortRole);
    tree_ = new QTreeView(tabs_);
    tree_->setModel(proxy_);
    tree_->setUniformRowHeights(true);
    tree_->setSortingEnabled(true);
    tree_->sortByColumn(-1, Qt::AscendingOrder);  // file order until the user sorts
    tree_->setSelectionMode(QAbstractItemView::SingleSelection);
    // Every column as wide as its contents; a narrow dock scrolls sideways instead of eliding names.
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    tree_->setHorizontalScrollBarPolicy(Qt::ScrollBarAsNeeded);
    metadata_ = new QTableWidget(0, 2, tabs_);
    metadata_->setHorizontalHeaderLabels({tr("Key"), tr("Value")});
    metadata_->verticalHeader()->setVisible(false);
    metadata_->horizontalHeader()->setStretchLastSection(true);
    metadata_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    metadata_->setWordWrap(false);
    tabs_->addTab(tree_, tr("Tensors"));
    tabs_->addTab(metadata_, tr("Metadata"));
    v->addWidget(tabs_, 1);
    setMinimumWidth(360);

    stored_ = new QLabel(this);
    stored_->setWordWrap(true);
    stored_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    stored_->hide();
    storedButton_ = new QPushButton(this);
    storedButton_->hide();
    v->addWidget(stored_);
    v->addWidget(storedButton_);

    openAction_ = new QAction(tr("&Open model or tensor file..."), this);
    openAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+L")));
    surveyAction_ = new QAction(tr("S&urvey whole model"), this);
    surveyAction_->setShortcut(QKeySequence(QStringLiteral("Ctrl+Shift+U")));
    surveyAction_->setEnabled(false);

    connect(open, &QPushButton::clicked, this, &ModelBrowser::openRequested);
    connect(openAction_, &QAction::triggered, this, &ModelBrowser::openRequested);
    connect(surveyButton_, &QPushButton::clicked, this, &ModelBrowser::surveyRequested);
    connect(surveyAction_, &QAction::triggered, this, &ModelBrowser::surveyRequested);
    connect(filter_, &QLineEdit::textChanged, this, &ModelBrowser::setFilter);
    connect(tree_->selectionModel(), &QItemSelectionModel::currentChanged, this, &ModelBrowser::onCurrentChanged);
    // A click on the selected tensor makes it the source again (after the user switched to a generator).
    connect(tree_, &QTreeView::clicked, this, [this](const QModelIndex& i) {
        const QString name = i.sibling(i.row(), 0).data(FullNameRole).toString();
        if (!name.isEmpty() && model_ && name == current_) emit tensorChosen(QString::fromStdString(model_->path()), name);
    });
    connect(storedButton_, &QPushButton::clicked, this, [this] {
        if (storedFormat_ >= 0) emit storedFormatRequested(static_cast<Format>(storedFormat_));
    });
    updateRecentMenu();
}

ModelBrowser::~ModelBrowser() = default;

QString ModelBrowser::filePath() const { return model_ ? QString::fromStdString(model_->path()) : QString(); }
QAbstractItemModel* ModelBrowser::treeModel() const { return proxy_; }

QString ModelBrowser::fileDialogFilter() {
    return tr("Weights (*.safetensors *.gguf *.onnx *.npz *.npy *.json model.safetensors.index.json);;All files (*)");
}

QStringList ModelBrowser::recentFiles() { return QSettings().value(kRecentKey).toStringList(); }

bool ModelBrowser::openFile(const QString& path, QString* error) {
    auto opened = open_model_file(QFileInfo(path).absoluteFilePath().toStdString());
    if (!opened) {
        if (error) *error = QString::fromStdString(opened.error().message());
        return false;
    }
    std::shared_ptr<const ModelFile> m(std::move(opened).value().release());
    if (m->tensors().empty()) {
        if (error) *error = tr("%1 holds no tensors").arg(path);
        return false;
    }
    model_ = std::move(m);
    current_.clear();
    addRecent(QString::fromStdString(model_->path()));
    rebuild();
    // The first weight tensor (a matrix), else the first tensor.
    QString first = QString::fromStdString(model_->tensors().front().name);
    for (const auto& t : model_->tensors())
        if (is_weight_tensor(t)) {
            first = QString::fromStdString(t.name);
            break;
        }
    selectTensor(first);
    if (auto* dock = qobject_cast<QDockWidget*>(parentWidget())) dock->raise();  // show the tree just opened
    return true;
}

void ModelBrowser::showSource(const TensorSource& source) {
    if (!source.fromFile || source.file.empty()) return;  // a generated tensor: keep browsing the model
    const QString path = QString::fromStdString(source.file);
    if (!model_ || model_->path() != source.file) {
        auto opened = open_model_file(source.file);
        if (!opened) {
            model_.reset();
            current_.clear();
            rebuild();
            header_->setText(tr("Cannot open %1: %2").arg(path, QString::fromStdString(opened.error().message())));
            return;
        }
        model_.reset(std::move(opened).value().release());
        rebuild();
    }
    QString name = QString::fromStdString(source.tensor);
    if (name.isEmpty() && !model_->tensors().empty()) name = QString::fromStdString(model_->tensors().front().name);
    quiet_ = true;
    selectTensor(name);
    quiet_ = false;
}

void ModelBrowser::rebuild() {
    quiet_ = true;
    items_->removeRows(0, items_->rowCount());
    metadata_->setRowCount(0);
    quiet_ = false;
    const bool have = model_ != nullptr;
    surveyButton_->setEnabled(have);
    surveyAction_->setEnabled(have);
    updateStoredFormat(nullptr);
    if (!have) {
        header_->setText(tr("No model open. Open a weights file to browse its tensors."));
        return;
    }
    const ModelTotals totals = model_totals(*model_);
    header_->setText(tr("<b>%1</b> (%2): %n tensor(s), %3 parameters, %4 stored.", "", static_cast<int>(model_->tensors().size()))
                         .arg(QFileInfo(QString::fromStdString(model_->path())).fileName().toHtmlEscaped(), QString::fromStdString(model_->format()),
                              QLocale().toString(static_cast<qlonglong>(totals.params)), formatBytes(static_cast<double>(totals.bytes))));
    header_->setToolTip(QString::fromStdString(model_->path()));

    Group root;
    for (const auto& t : model_->tensors()) {
        const QString full = QString::fromStdString(t.name);
        const QStringList parts = full.split(QLatin1Char('.'), Qt::SkipEmptyParts);
        Group* g = &root;
        QStandardItem* parentItem = items_->invisibleRootItem();
        for (int i = 0; i + 1 < parts.size(); ++i) {
            auto& child = g->children[parts[i]];
            if (!child) {
                child = std::make_unique<Group>();
                child->row = makeRow(parts[i], QString());
                parentItem->appendRow(child->row);
            }
            g = child.get();
            g->params += t.numel();
            g->bytes += t.bytes;
            g->tensors += 1;
            parentItem = g->row[0];
        }
        auto row = makeRow(parts.isEmpty() ? full : parts.back(), full);
        row[ShapeColumn]->setText(shapeText(t.shape));
        row[DTypeColumn]->setText(QString::fromStdString(std::string(dtype_name(t.dtype))));
        row[ShapeColumn]->setData(static_cast<double>(t.shape.size()), SortRole);
        row[DTypeColumn]->setData(row[DTypeColumn]->text(), SortRole);
        if (!t.encoding.empty()) row[DTypeColumn]->setToolTip(QString::fromStdString(t.encoding));
        row[0]->setToolTip(full);
        setNumbers(row, t.numel(), t.bytes);
        parentItem->appendRow(row);
    }
    finishGroups(root);
    mergeSingleTensorGroups(items_->invisibleRootItem());

    const auto& meta = model_->metadata();
    metadata_->setRowCount(static_cast<int>(meta.size()));
    for (int r = 0; r < static_cast<int>(meta.size()); ++r) {
        const QString value = QString::fromStdString(meta[static_cast<std::size_t>(r)].second);
        auto* k = new QTableWidgetItem(QString::fromStdString(meta[static_cast<std::size_t>(r)].first));
        auto* val = new QTableWidgetItem(value.size() > 300 ? value.left(300) + QStringLiteral("...") : value);
        val->setToolTip(value.left(4000));
        metadata_->setItem(r, 0, k);
        metadata_->setItem(r, 1, val);
    }
    tabs_->setTabText(1, tr("Metadata (%1)").arg(meta.size()));
    tree_->expandToDepth(model_->tensors().size() <= 40 ? 8 : 1);
}

QModelIndex ModelBrowser::findLeaf(const QString& name) const {
    const QModelIndexList hits = proxy_->match(proxy_->index(0, 0), FullNameRole, name, 1, Qt::MatchExactly | Qt::MatchRecursive);
    return hits.isEmpty() ? QModelIndex() : hits.first();
}

bool ModelBrowser::selectTensor(const QString& name) {
    QModelIndex i = findLeaf(name);
    if (!i.isValid() && !filter_->text().isEmpty()) {
        filter_->clear();  // the tensor is filtered out: show everything again
        i = findLeaf(name);
    }
    if (!i.isValid()) return false;
    tree_->scrollTo(i);
    tree_->setCurrentIndex(i);
    if (current_ != name) {  // setCurrentIndex on the current row emits nothing
        current_ = name;
        updateStoredFormat(model_ ? model_->find(name.toStdString()) : nullptr);
    }
    return true;
}

void ModelBrowser::setFilter(const QString& text) {
    if (filter_->text() != text) {
        filter_->setText(text);  // comes back here through textChanged
        return;
    }
    static_cast<TensorFilterModel*>(proxy_)->setWords(text);
    if (!text.isEmpty()) tree_->expandAll();
    if (!current_.isEmpty()) {
        const QModelIndex i = findLeaf(current_);
        if (i.isValid()) tree_->scrollTo(i);
    }
}

void ModelBrowser::onCurrentChanged() {
    const QModelIndex i = tree_->currentIndex();
    const QString name = i.sibling(i.row(), 0).data(FullNameRole).toString();
    if (name.isEmpty() || !model_ || name == current_) return;
    current_ = name;
    updateStoredFormat(model_->find(name.toStdString()));
    if (!quiet_) emit tensorChosen(QString::fromStdString(model_->path()), name);
}

void ModelBrowser::updateStoredFormat(const TensorInfo* t) {
    storedFormat_ = -1;
    storedButton_->hide();
    if (!t) {
        stored_->hide();
        return;
    }
    const QString dtype = QString::fromStdString(std::string(dtype_name(t->dtype)));
    if (t->dtype >= DType::GGML_Q4_0 && t->dtype <= DType::GGML_IQ1_M) {
        stored_->setText(tr("<b>%1 is stored already quantized</b> as ggml %2 (%3 bits per weight, block scales included). "
                            "The analysis starts from its dequantized values: quantizing them again shows what a second rounding adds.")
                             .arg(QString::fromStdString(t->name).toHtmlEscaped(), dtype)
                             .arg(dtype_bits(t->dtype), 0, 'g', 4));
        stored_->show();
        // QuantLens' NVFP4 is ModelOpt's, with a per-tensor FP32 scale above the E4M3 ones; llama.cpp's
        // keeps the E4M3 scales alone, so the names match but the formats do not
        if (t->dtype == DType::GGML_NVFP4)
            stored_->setText(stored_->text() + QStringLiteral(" ") +
                             tr("QuantLens' NVFP4 (NVIDIA ModelOpt's) adds a per-tensor FP32 scale that llama.cpp's lacks, "
                                "so it is not offered as this tensor's stored format."));
        // the i-quants below 4 bits store indices into a codebook, which QuantLens decodes but does not search
        if (t->dtype >= DType::GGML_IQ2_XXS && t->dtype <= DType::GGML_IQ1_M)
            stored_->setText(stored_->text() + QStringLiteral(" ") +
                             tr("%1 is an i-quant: each stored index picks a whole group of %2 weights from a fixed codebook "
                                "of allowed patterns, with the signs and a small scale kept apart. QuantLens decodes it as "
                                "llama.cpp does but does not quantize to it, so no stored format is offered.")
                                 .arg(dtype)
                                 .arg(t->dtype == DType::GGML_IQ3_XXS || t->dtype == DType::GGML_IQ3_S ? 4 : 8));
        if (auto f = parse_format(dtype.toStdString()); f && t->dtype != DType::GGML_NVFP4) {
            storedFormat_ = static_cast<int>(*f);
            storedButton_->setText(tr("Compare with its stored format %1 (show its levels)").arg(dtype));
            storedButton_->show();
        }
        return;
    }
    if (!t->encoding.empty()) {
        stored_->setText(tr("<b>%1 is stored quantized</b>: %2. The analysis starts from the decoded values.")
                             .arg(QString::fromStdString(t->name).toHtmlEscaped(), QString::fromStdString(t->encoding).toHtmlEscaped()));
        stored_->show();
        return;
    }
    stored_->hide();
}

void ModelBrowser::addRecent(const QString& path) {
    QSettings s;
    QStringList list = s.value(kRecentKey).toStringList();
    list.removeAll(path);
    list.prepend(path);
    while (list.size() > kMaxRecent) list.removeLast();
    s.setValue(kRecentKey, list);
    updateRecentMenu();
}

void ModelBrowser::updateRecentMenu() {
    recentMenu_->clear();
    const QStringList list = recentFiles();
    for (const QString& p : list) {
        QAction* a = recentMenu_->addAction(QFileInfo(p).fileName(), this, [this, p] {
            QString error;
            if (!openFile(p, &error)) showError(this, tr("Cannot open the model file"), error);
        });
        a->setToolTip(p);
    }
    recentMenu_->setEnabled(!list.isEmpty());
}

ModelBrowser* installModelBrowser(MainWindow* w, SurveyPanel** surveyOut) {
    auto* browser = new ModelBrowser(w);
    auto* dock = new QDockWidget(QObject::tr("Model"), w);
    dock->setObjectName(QStringLiteral("modelBrowserDock"));
    dock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    dock->setWidget(browser);
    w->addDockWidget(Qt::LeftDockWidgetArea, dock);
    if (auto* setup = w->findChild<QDockWidget*>(QStringLiteral("setupDock"))) w->tabifyDockWidget(setup, dock);
    if (auto* setup = w->findChild<QDockWidget*>(QStringLiteral("setupDock"))) setup->raise();

    auto* survey = new SurveyPanel(w);
    auto* surveyDock = new QDockWidget(QObject::tr("Model survey"), w);
    surveyDock->setObjectName(QStringLiteral("modelSurveyDock"));
    surveyDock->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable | QDockWidget::DockWidgetClosable);
    surveyDock->setWidget(scrollable(survey, surveyDock));
    w->addDockWidget(Qt::RightDockWidgetArea, surveyDock);
    if (auto* first = w->findChild<QDockWidget*>(QStringLiteral("chart_weight_distribution"))) {
        w->tabifyDockWidget(first, surveyDock);
        first->raise();
    }
    if (surveyOut) *surveyOut = survey;

    // A chosen tensor becomes the window's tensor source (configurations and options unchanged).
    QObject::connect(browser, &ModelBrowser::tensorChosen, w, [w](const QString& file, const QString& tensor) {
        Session s = w->session();
        s.tensor.fromFile = true;
        s.tensor.file = file.toStdString();
        s.tensor.tensor = tensor.toStdString();
        if (s.tensor != w->session().tensor) w->setSession(s);
    });
    QObject::connect(browser, &ModelBrowser::openRequested, w, [w, browser] {
        const QString path = QFileDialog::getOpenFileName(w, QObject::tr("Open a model or tensor file"), QString(), ModelBrowser::fileDialogFilter());
        if (path.isEmpty()) return;
        QString error;
        if (!browser->openFile(path, &error)) showError(w, QObject::tr("Cannot open the model file"), error);
    });
    // Compare with the stored format: add it as a configuration and draw its levels over the histogram.
    QObject::connect(browser, &ModelBrowser::storedFormatRequested, w, [w](Format f) {
        Session s = w->session();
        QuantConfig c;
        c.format = f;
        c.label = QObject::tr("%1 (as stored)").arg(QString::fromStdString(std::string(format_name(f))).toUpper()).toStdString();
        int index = -1;
        for (std::size_t i = 0; i < s.configs.size(); ++i)
            if (s.configs[i].format == f) index = static_cast<int>(i);
        if (index < 0) {
            s.configs.push_back(c);
            index = static_cast<int>(s.configs.size()) - 1;
        }
        s.view.levelsConfig = index;
        s.view.showLevels = true;
        w->setSession(s);
    });
    QObject::connect(browser, &ModelBrowser::surveyRequested, w, [w, browser, survey, surveyDock] {
        if (!browser->model()) return;
        survey->setChartStyle(makeChartStyle(w->darkTheme(), w->presentationMode()));
        surveyDock->show();
        surveyDock->raise();
        survey->start(browser->model(), w->session().configs, w->session().fit);
    });
    QObject::connect(survey->sqnrChart(), &ChartView::exportRequested, w, &MainWindow::exportChart);
    QObject::connect(survey->fitChart(), &ChartView::exportRequested, w, &MainWindow::exportChart);
    QObject::connect(survey, &SurveyPanel::finished, w, [w, survey] {
        if (const auto s = survey->survey(); s && !s->cancelled)
            w->showStatusMessage(QObject::tr("Survey finished: %n weight tensor(s)", "", static_cast<int>(s->tensors.size())), 5000);
    });
    return browser;
}

} // namespace ql::ui
