// Classroom examples: ready-made sessions (resources/examples/*.json, embedded as :/examples/ID.json)
// that each set up one lesson (outliers and per-channel scales, clipping heavy tails, NF4 against INT4,
// what scales cost in bits, GGUF blocks), with a title and a few sentences on what to look at. Opened
// from File > Examples in the window and by `quantlens export --example ID` headless.
#pragma once

#include <optional>
#include <vector>

#include <QString>

#include "session.h"

namespace ql::ui {

struct Example {
    QString id;      // file stem, e.g. "outlier-rows"
    QString title;   // translated menu text
    QString lookAt;  // translated: what the example shows and where to look
};

// Every example, in teaching order.
std::vector<Example> examples();
// Every example's id, comma-separated, for help texts.
QString exampleIds();
// The example with this id, or nullopt.
std::optional<Example> findExample(const QString& id);
// Its session, read from the embedded file; nullopt with a message when the id is unknown or the file
// does not load.
std::optional<Session> loadExample(const QString& id, QString* error);

} // namespace ql::ui
