// Model browser: a weights file's tensors as a tree grouped by their dotted names
// (model > layers > 0 > self_attn > q_proj > weight) with shape, dtype, parameters and bytes, a filter
// box, the file's metadata, and a note when the selected tensor is stored already quantized (GGUF
// blocks, TF.js affine uint8). Choosing a tensor makes it the window's tensor source. Opening reads
// headers only (core's ModelFile); the selected tensor is read and analysed by the AnalysisRunner.
// installModelBrowser() puts the browser and the whole-model survey into the main window.
#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>

#include "core/model_file.h"
#include "core/quant_config.h"
#include "session.h"

class QLabel;
class QLineEdit;
class QMenu;
class QAction;
class QAbstractItemModel;
class QPushButton;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTableWidget;
class QTabWidget;
class QTreeView;

namespace ql::ui {

class MainWindow;
class SurveyPanel;

class ModelBrowser : public QWidget {
    Q_OBJECT
public:
    // Item data roles of the tree model.
    enum Role {
        FullNameRole = Qt::UserRole + 1,  // leaf: the tensor's full name; group: "" (QString)
        SortRole,                          // numbers for parameters/bytes, names otherwise
        ParamsRole,                        // qlonglong parameters of a tensor or a group
        BytesRole,                         // qulonglong stored bytes of a tensor or a group
    };
    enum Column { NameColumn, ShapeColumn, DTypeColumn, ParamsColumn, BytesColumn, ColumnCount };

    explicit ModelBrowser(QWidget* parent = nullptr);
    ~ModelBrowser() override;

    // Opens a weights file and shows its tensors; on success chooses the first weight tensor (signal
    // tensorChosen) and adds the file to the recent files. On failure the browser keeps the model it
    // showed and *error names the file, offset and rule.
    bool openFile(const QString& path, QString* error);
    // Follows the window's tensor source (session restore): shows its file, selects its tensor, and
    // emits nothing. A file that no longer opens leaves the browser empty.
    void showSource(const TensorSource& source);

    std::shared_ptr<const ModelFile> model() const { return model_; }
    QString filePath() const;
    QString currentTensor() const { return current_; }
    bool selectTensor(const QString& name);       // selects the row (emits tensorChosen when it changes)
    void setFilter(const QString& text);

    QTreeView* tree() const { return tree_; }
    QAbstractItemModel* treeModel() const;        // the filtered model the tree shows
    QLabel* storedFormatLabel() const { return stored_; }
    QMenu* recentMenu() const { return recentMenu_; }
    QAction* surveyAction() const { return surveyAction_; }
    QAction* openAction() const { return openAction_; }

    static QStringList recentFiles();
    static QString fileDialogFilter();

signals:
    void tensorChosen(const QString& file, const QString& tensor);
    void openRequested();
    void surveyRequested();
    // The user asked to compare the analysis with the format the file stores this tensor in.
    void storedFormatRequested(ql::Format format);

private:
    void rebuild();
    void onCurrentChanged();
    void updateStoredFormat(const TensorInfo* t);
    void addRecent(const QString& path);
    void updateRecentMenu();
    QModelIndex findLeaf(const QString& name) const;

    std::shared_ptr<const ModelFile> model_;
    QString current_;
    bool quiet_ = false;   // selection changes made by the program, not the user

    QLabel* header_;
    QLineEdit* filter_;
    QTabWidget* tabs_;
    QTreeView* tree_;
    QStandardItemModel* items_;
    QSortFilterProxyModel* proxy_;
    QTableWidget* metadata_;
    QLabel* stored_;
    QPushButton* storedButton_;
    QPushButton* surveyButton_;
    QMenu* recentMenu_;
    QAction* surveyAction_;
    QAction* openAction_;
    int storedFormat_ = -1;  // ql::Format of the selected tensor's stored blocks, -1 when none
};

// Creates the browser and survey docks in `window`, wires them to its session, and returns the browser.
// Call before the window builds its menus so the docks appear in View > Charts and panels.
ModelBrowser* installModelBrowser(MainWindow* window, SurveyPanel** survey = nullptr);

// "1.23 M" / "45.6 k" / "789": a parameter count for a narrow column (the exact count in tooltips).
QString shortCount(double n);
// "12.3 MB" (10^6 bytes): a byte count for a narrow column (GB/GiB in tooltips).
QString shortBytes(double bytes);

} // namespace ql::ui
