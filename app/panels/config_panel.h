// The list of quantization configurations to compare (add, remove, duplicate, colour) and the editor of
// the selected one (format, bits, scheme, granularity, axis, group size ...).
#pragma once

#include <QWidget>
#include <vector>

#include "core/quant_config.h"

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QSlider;
class QSpinBox;

namespace ql::ui {

class ConfigPanel : public QWidget {
    Q_OBJECT
public:
    static constexpr int kMaxConfigs = 8;
    explicit ConfigPanel(QWidget* parent = nullptr);

    void setConfigs(const std::vector<QuantConfig>& configs);
    const std::vector<QuantConfig>& configs() const { return configs_; }
    int current() const;
    void setCurrent(int index);

    // Actions the window also puts in menus and shortcuts.
    void addConfig();
    void duplicateConfig();
    void removeConfig();

    // The bits slider of the editor (GUI tests drive it like a user).
    QSlider* bitsSlider() const { return bits_; }

    // One or two sentences on a format for a learner (its levels, its scales, its bits per weight): the
    // tooltip of its entry in the format list, and of the list while it is chosen.
    static QString formatDescription(Format f);

signals:
    void changed();

private:
    void refreshList();
    void showEditor();
    void readEditor();
    void chooseColor();

    std::vector<QuantConfig> configs_;
    QListWidget* list_;
    QPushButton* add_;
    QPushButton* dup_;
    QPushButton* remove_;
    QPushButton* color_;
    QLineEdit* label_;
    QComboBox* format_;
    QSlider* bits_;
    QLabel* bitsLabel_;
    QComboBox* scheme_;
    QComboBox* granularity_;
    QSpinBox* axis_;
    QSpinBox* group_;
    QSpinBox* block_;
    QLabel* blockLabel_ = nullptr;  // "Block size", or "Group size" for HQQ
    QComboBox* scaleType_;
    QComboBox* range_;
    QDoubleSpinBox* percentile_;
    bool updating_ = false;
};

} // namespace ql::ui
