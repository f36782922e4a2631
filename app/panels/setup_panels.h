// The left-hand setup panels. Each shows part of the Session, writes user edits back into it and
// emits changed(); the main window then asks for a new analysis. Panels compute nothing.
#pragma once

#include <QWidget>

#include "session.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace ql::ui {

// Where the tensor comes from: the seeded generator, or a loaded weights file.
class TensorPanel : public QWidget {
    Q_OBJECT
public:
    explicit TensorPanel(QWidget* parent = nullptr);
    void show(const TensorSource& t);
    void read(TensorSource& t) const;
    void setTensorInfo(const QString& text);  // "1000x1000 = 1.0 M weights"
    QString tensorInfo() const;

signals:
    void changed();
    void loadFileRequested();

private:
    QRadioButton* generated_;
    QRadioButton* fromFile_;
    QLabel* fileLabel_;
    QPushButton* loadButton_;
    QComboBox* dist_;
    QSpinBox* rows_;
    QSpinBox* cols_;
    QDoubleSpinBox* std_;
    QDoubleSpinBox* dof_;
    QSpinBox* seed_;
    QDoubleSpinBox* outliers_;
    QDoubleSpinBox* outlierMag_;
    QSpinBox* llmRows_;
    QLabel* info_;
    TensorSource file_;  // the file part is kept as given
};

// Layer simulation (error accumulation) and the per-analysis options.
class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(QWidget* parent = nullptr);
    void show(const AnalysisOptions& a, const ViewSettings& v, int configCount);
    void read(AnalysisOptions& a, ViewSettings& v) const;

signals:
    void changed();

private:
    QCheckBox* layerOn_;
    QSpinBox* layers_;
    QSpinBox* width_;
    QSpinBox* batch_;
    QComboBox* activation_;
    QDoubleSpinBox* layerStd_;
    QSpinBox* bins_;
    QSpinBox* sampleRow_;
    QSpinBox* sampleCount_;
    QCheckBox* forward_;
    QCheckBox* showLevels_;
    QComboBox* levelsConfig_;
    QCheckBox* logChannel_;
    QCheckBox* logHistograms_;
    QCheckBox* compareAll_;
    QCheckBox* paretoMse_;
};

// The model and GPUs of the GPU-fit chart.
class GpuFitPanel : public QWidget {
    Q_OBJECT
public:
    explicit GpuFitPanel(QWidget* parent = nullptr);
    void show(const FitSettings& f);
    void read(FitSettings& f) const;

signals:
    void changed();

private:
    QComboBox* model_;
    QDoubleSpinBox* params_;
    QListWidget* gpus_;
    QDoubleSpinBox* headroom_;
    QSpinBox* kvContext_;
};

} // namespace ql::ui
