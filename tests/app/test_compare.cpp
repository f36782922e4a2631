// quantlens compare and --format for stats/quantize, run as a user would: every format listed with its
// true bits per weight, metrics that order the formats as their definitions predict, clear usage errors.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

#include "cli_run.h"
#include "core/quant_config.h"

namespace {

using ql::test::Run;
using ql::test::run;

QJsonObject by_format(const QJsonArray& a, const QString& name) {
    for (const auto& v : a)
        if (v.toObject()["format"].toString() == name) return v.toObject();
    return {};
}

} // namespace

class TestCompare : public QObject {
    Q_OBJECT
private slots:
    void compareAllJson() {
        Run r = run({"compare", "--generate", "--shape", "64x512", "--formats", "all", "--json"});
        QCOMPARE(r.code, 0);
        const auto j = QJsonDocument::fromJson(r.out).object();
        const auto f = j["formats"].toArray();
        QCOMPARE(f.size(), int(ql::all_formats().size()));
        QCOMPARE(f.size(), 20);
        // true bits per weight from the formats' definitions (n = 32768 values)
        QCOMPARE(by_format(f, "q4_k")["bits_per_weight"].toDouble(), 4.5);
        QCOMPARE(by_format(f, "q5_k")["bits_per_weight"].toDouble(), 5.5);
        QCOMPARE(by_format(f, "q2_k")["bits_per_weight"].toDouble(), 2.625);
        QCOMPARE(by_format(f, "q3_k")["bits_per_weight"].toDouble(), 3.4375);
        QCOMPARE(by_format(f, "q6_k")["bits_per_weight"].toDouble(), 6.5625);
        QCOMPARE(by_format(f, "mxfp4")["bits_per_weight"].toDouble(), 4.25);
        QCOMPARE(by_format(f, "iq4_xs")["bits_per_weight"].toDouble(), 4.25);
        QCOMPARE(by_format(f, "nf4")["bits_per_weight"].toDouble(), 4.5);
        QVERIFY(std::fabs(by_format(f, "nf4_dq")["bits_per_weight"].toDouble() - 4.127) < 0.002);
        QCOMPARE(by_format(f, "hqq")["bits_per_weight"].toDouble(), 4.5);  // INT4 + fp16 scale and zero per 64
        // more bits, less error: Q8_0 beats Q4_0, FP8 E4M3 (3 mantissa bits) beats E5M2 (2)
        QVERIFY(by_format(f, "q8_0")["mse"].toDouble() < by_format(f, "q4_0")["mse"].toDouble());
        QVERIFY(by_format(f, "q3_k")["mse"].toDouble() < by_format(f, "q2_k")["mse"].toDouble());
        QVERIFY(by_format(f, "q4_k")["mse"].toDouble() < by_format(f, "q3_k")["mse"].toDouble());
        QVERIFY(by_format(f, "q5_k")["mse"].toDouble() < by_format(f, "q4_k")["mse"].toDouble());
        QVERIFY(by_format(f, "q6_k")["mse"].toDouble() < by_format(f, "q5_k")["mse"].toDouble());
        // IQ4_XS: IQ4_NL's search with its scales rounded to 6 bits, in 0.25 fewer bits per weight
        QVERIFY(by_format(f, "iq4_xs")["mse"].toDouble() > by_format(f, "iq4_nl")["mse"].toDouble());
        QVERIFY(by_format(f, "iq4_xs")["mse"].toDouble() < by_format(f, "q3_k")["mse"].toDouble());
        QVERIFY(by_format(f, "fp8_e4m3")["sqnr_db"].toDouble() > by_format(f, "fp8_e5m2")["sqnr_db"].toDouble());
        for (const auto& v : f) {
            const auto o = v.toObject();
            QVERIFY2(!o.contains("error"), qPrintable(o["format"].toString()));
            QVERIFY(o["cosine"].toDouble() > 0.9 && o["cosine"].toDouble() <= 1.0);
            QVERIFY(o["max_abs_error"].toDouble() >= 0.0);
        }
    }
    void compareListTable() {
        Run r = run({"compare", "--generate", "--shape", "32x256", "--formats", "nf4,q4_k,int", "--bits", "4", "--granularity", "group"});
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.contains("NF4"));
        QVERIFY(r.out.contains("Q4_K"));
        QVERIFY(r.out.contains("INT4 asym g128"));
        QVERIFY(!r.out.contains("FP8"));
    }
    // A format whose fp16 block scales overflow (rows scaled to about 1e5: Q4_1's minimum passes 65504)
    // reads inf, and the table and the JSON say why; Q4_0 on the same tensor stays finite.
    void compareSaysWhyAFormatOverflows() {
        const QStringList args{"compare", "--generate", "--shape", "40x1514", "--std", "1000", "--llm-channels", "3", "--formats", "q4_1,q4_0"};
        Run t = run(args);
        QCOMPARE(t.code, 0);
        QVERIFY2(t.out.contains("note: Q4_1: ") && t.out.contains("values dequantize to +-inf or NaN") && t.out.contains("fp16"),
                 t.out.constData());
        QVERIFY(!t.out.contains("note: Q4_0: 0 of") && !t.out.contains("note: Q4_0: 1"));  // Q4_0 stays finite
        Run j = run(args + QStringList{"--json"});
        QCOMPARE(j.code, 0);
        const auto o = QJsonDocument::fromJson(j.out).object();
        const auto f = o["formats"].toArray();
        QVERIFY(by_format(f, "q4_1")["nonfinite_dq"].toInt() > 0);
        QCOMPARE(by_format(f, "q4_0")["nonfinite_dq"].toInt(), 0);
        QVERIFY(by_format(f, "q4_1")["sqnr_db"].isNull());  // -inf has no JSON number
        // the overflow's warning; rows of 1514 values also pad their last blocks (the notes on padding)
        int overflow = 0;
        for (const auto& w : o["warnings"].toArray()) overflow += w.toString().contains("+-inf or NaN") ? 1 : 0;
        QCOMPARE(overflow, 1);
        // stats: the count under the configuration, the warning on stderr
        Run s = run({"stats", "--generate", "--shape", "40x1514", "--std", "1000", "--llm-channels", "3", "--format", "q4_1"});
        QCOMPARE(s.code, 0);
        QVERIFY2(s.out.contains("values dequantize to +-inf or NaN") && s.out.contains("SNR      -inf dB"), s.out.constData());
        QVERIFY2(s.err.contains("quantlens stats: warning: Q4_1: "), s.err.constData());
    }
    // Rows that are not whole blocks: compare notes the padding under its table, stats under its storage
    // line, and both JSON reports count it (storage.padding); whole-block rows say nothing.
    void paddingIsSaid() {
        Run t = run({"compare", "--generate", "--shape", "64x96", "--formats", "q4_k,q6_k,q8_0"});
        QCOMPARE(t.code, 0);
        QVERIFY2(t.out.contains("note: Q4_K: each row of 96 values takes 256 code slots (whole blocks), so 62% of the codes stored are "
                                "padding, counted in its 12.00 bits per weight"),
                 t.out.constData());
        QVERIFY(t.out.contains("note: Q6_K: each row of 96 values takes 256 code slots"));
        QVERIFY(!t.out.contains("note: Q8_0"));  // 96 = 3 blocks of 32
        Run s = run({"stats", "--generate", "--shape", "64x96", "--format", "q4_k"});
        QCOMPARE(s.code, 0);
        QVERIFY2(s.out.contains("storage  12.0000 bits per weight") &&
                     s.out.contains("         62% of the codes stored are padding (each row's last block is stored whole)"),
                 s.out.constData());
        Run j = run({"stats", "--generate", "--shape", "64x96", "--format", "q4_k", "--json"});
        QCOMPARE(j.code, 0);
        const auto storage = QJsonDocument::fromJson(j.out).object()["configs"].toArray().at(0).toObject()["storage"].toObject();
        QCOMPARE(storage["padding"].toInteger(), qint64(64 * 160));
        Run whole = run({"stats", "--generate", "--shape", "64x512", "--format", "q4_k"});
        QCOMPARE(whole.code, 0);
        QVERIFY(!whole.out.contains("padding"));
        QVERIFY(!whole.err.contains("padding"));
    }
    // stats says why values clipped, under the count, in the format's own terms; nothing when none did.
    void statsSaysWhyValuesClip() {
        Run q = run({"stats", "--generate", "--shape", "64x256", "--std", "1", "--seed", "7", "--format", "q4_0"});
        QCOMPARE(q.code, 0);
        const int at = q.out.indexOf("values clipped\n");
        QVERIFY2(at > 0 && !q.out.contains(" 0 values clipped"), q.out.constData());
        const QByteArray why = q.out.mid(at + 15, q.out.indexOf("storage  ") - at - 15);
        QVERIFY2(why.startsWith("         Q4_0 puts each block's largest-magnitude value on code -8;"), why.constData());
        for (const QByteArray& line : why.trimmed().split('\n')) QVERIFY2(line.size() <= 100, line.constData());
        Run n = run({"stats", "--generate", "--shape", "64x256", "--std", "1", "--seed", "7", "--format", "nf4"});
        QCOMPARE(n.code, 0);
        QVERIFY2(n.out.contains(" 0 values clipped\nstorage  "), n.out.constData());
    }
    void unknownFormat() {
        Run r = run({"compare", "--generate", "--formats", "nf5"});
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains("unknown format 'nf5'"));
    }
    void statsWithFormat() {
        Run r = run({"stats", "--generate", "--shape", "64x256", "--format", "nf4", "--block-size", "128", "--json"});
        QCOMPARE(r.code, 0);
        const auto c = QJsonDocument::fromJson(r.out).object()["configs"].toArray().at(0).toObject();
        QVERIFY(r.out.contains("4.25"));  // 4 + 32/128 bits per weight
        Q_UNUSED(c);
        Run bad = run({"stats", "--generate", "--format", "mxfp4", "--block-size", "64"});
        QCOMPARE(bad.code, 2);
        QVERIFY(bad.err.contains("blocks of 32 values"));
    }
};

QTEST_GUILESS_MAIN(TestCompare)
#include "test_compare.moc"
