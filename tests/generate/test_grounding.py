"""The grounding guard on hand-built sources: what it keeps, what it removes and why."""

from __future__ import annotations

import pytest

from careexplain.generate.grounding import GroundingGuard, SourcePassage, denials, polarity
from careexplain.index.embeddings import Embedder

LOW_SUGAR = SourcePassage(
    n=1,
    chunk_id=1,
    doc_id="low-blood-sugar",
    title="Low blood sugar",
    section="What you can do",
    text=(
        "Low blood sugar means your blood sugar is below 70 mg/dL. Eat or drink 15 grams of fast "
        "sugar, like half a cup of juice. Check your blood sugar again after 15 minutes. Do not "
        "drive when your blood sugar is low. Some people may feel shaky or sweaty."
    ),
)
WARFARIN = SourcePassage(
    n=2,
    chunk_id=2,
    doc_id="warfarin",
    title="Warfarin",
    section="What you can do",
    text="Warfarin is a blood thinner. Keep the amount of leafy greens you eat about the same.",
)


@pytest.fixture(scope="module")
def guard(embedder: Embedder) -> GroundingGuard:
    return GroundingGuard(embedder)


@pytest.mark.parametrize(
    ("sentence", "kept", "reason"),
    [
        ("Low blood sugar is when your sugar is under 70 mg/dL [1].", True, "ok"),
        ("Have 15 grams of quick sugar such as half a cup of juice [1].", True, "ok"),
        ("Keep how much leafy greens you eat about the same [2].", True, "ok"),
        ("Check again after 30 minutes [1].", False, "unsupported_number"),
        ("You can drive when your blood sugar is low [1].", False, "negation_mismatch"),
        (
            "Check your blood sugar more often after 15 minutes [1].",
            False,
            "comparison_unsupported",
        ),
        ("Low blood sugar is common in older adults [1].", False, "unsupported_thing"),
        ("Metformin can cause low blood sugar [1].", False, "unsupported_drug"),
        ("Low blood sugar can lead to asthma [1].", False, "unsupported_condition"),
        ("Recheck your sugar 15 minutes later [3].", False, "bad_citation"),
        ("Everyone will always feel shaky when sugar is low [1].", False, "qualifier_mismatch"),
        ("Wear a medical ID bracelet every day.", False, "no_citation"),
        ("The signs are: [1].", False, "fragment"),
    ],
)
def test_sentence_verdicts(guard: GroundingGuard, sentence: str, kept: bool, reason: str) -> None:
    (verdict,) = guard.prepare([LOW_SUGAR, WARFARIN]).check_all([sentence])
    assert (verdict.kept, verdict.reason) == (kept, reason), verdict


def test_a_supported_uncited_sentence_gets_its_citation(guard: GroundingGuard) -> None:
    (verdict,) = guard.prepare([LOW_SUGAR, WARFARIN]).check_all(
        ["Check your blood sugar again after 15 minutes."]
    )
    assert verdict.kept
    assert verdict.citations == [1]
    assert verdict.text.endswith("[1].")
    assert verdict.detail == "citation added by the guard"


def test_patient_context_supports_its_own_facts(guard: GroundingGuard) -> None:
    check = guard.prepare([LOW_SUGAR], patient_context="Takes metformin 500 mg twice a day.")
    (verdict,) = check.check_all(["Low blood sugar means your sugar is below 70 mg/dL [1]."])
    assert verdict.kept


def test_report_counts_by_reason(guard: GroundingGuard) -> None:
    answer = (
        "Low blood sugar is below 70 mg/dL [1]. Check again after 30 minutes [1]. "
        "Metformin can cause it [1]. Stay calm."
    )
    kept, report = guard.check_answer(answer, [LOW_SUGAR])
    assert kept == ["Low blood sugar is below 70 mg/dL [1]."]
    assert report.sentences_total == 4
    assert report.sentences_kept == 1
    assert report.removed_by_reason["unsupported_number"] == 1


@pytest.mark.parametrize(
    ("source", "sentence", "reason"),
    [
        # An added clause hides inside a well-supported sentence.
        (
            "Look at your feet every day for cuts, sores, or red spots.",
            "Look at your feet every day for cuts, sores, or red spots, and soak them each night.",
            "unsupported_clause",
        ),
        # A word the source only uses under a negation, used without one.
        ("Pat the wound dry with a clean towel. Do not rub it.", "Rub the wound dry.", None),
        # Number words count as numbers.
        (
            "They work best when you start them within two days of getting sick.",
            "They work best when you start them within five days of getting sick.",
            "unsupported_number",
        ),
        # "can mean" restated as "means".
        (
            "Feeling shaky or having a fast heartbeat can mean your dose is too high.",
            "Feeling shaky or having a fast heartbeat means your dose is too high.",
            "qualifier_mismatch",
        ),
        # "only" narrows what the source says.
        (
            "Call 911 right away if you see any sign of a stroke.",
            "Call 911 only if you see a sign of a stroke.",
            "qualifier_mismatch",
        ),
        # A two-word clause can carry a whole added claim.
        (
            "Some types of birth control can make UTIs more likely.",
            "Some types of birth control can make UTIs more likely, so plan ahead.",
            "unsupported_clause",
        ),
        # An object named in a near-verbatim restatement, where the source names another.
        (
            "Some types of birth control can make UTIs more likely.",
            "Some types of birth control can make UTIs more likely, so switch to condoms.",
            "unsupported_thing",
        ),
        (
            "Keep new, unopened insulin in the refrigerator.",
            "Keep new, unopened insulin in the freezer.",
            "unsupported_thing",
        ),
        # How many of a thing.
        (
            "Carry two auto-injectors with you at all times.",
            "Carry one auto-injector with you at all times.",
            "unsupported_number",
        ),
        # An exception the source does not make.
        (
            "Call 911 right away if you see any BE FAST sign. Do this even if the signs go away.",
            "Call 911 right away if you see any BE FAST sign, unless the signs go away.",
            "qualifier_mismatch",
        ),
        # A ranking said with "-est".
        (
            "Common statins include atorvastatin, simvastatin, and pravastatin.",
            "Common statins include atorvastatin, simvastatin, and pravastatin, and atorvastatin "
            "is the strongest.",
            "comparison_unsupported",
        ),
        # Ranked first on something else.
        (
            "Metformin is one of the most common diabetes medicines.",
            "Metformin is the most effective diabetes medicine.",
            "comparison_unsupported",
        ),
        # "often" where the source says "rare".
        (
            "In rare cases, metformin can cause lactic acidosis.",
            "Metformin often causes lactic acidosis.",
            "negation_mismatch",
        ),
        (
            "Fill half your plate with vegetables.",
            "Fill a quarter of your plate with vegetables.",
            None,
        ),
        # The same number of another unit of time.
        (
            "Signs last most of the day. They go on for at least two weeks.",
            "Signs last most of the day, for at least two months.",
            "unsupported_number",
        ),
        # An opposite word ("hard" for "easy") where the rest of the sentence is the source's.
        (
            "Most UTIs are easy to treat. But if a UTI is not treated, the germs can move up to "
            "your kidneys.",
            "Most UTIs are hard to treat, and if a UTI is not treated, the germs can move up to "
            "your kidneys.",
            "negation_mismatch",
        ),
        # "has stopped pumping" still says "stopped", which the source denies.
        (
            "Heart failure means your heart does not pump as well as it should. It does not "
            "mean your heart has stopped.",
            "Heart failure means your heart has stopped pumping.",
            "negation_mismatch",
        ),
        # Both negated, with the negation moved to the other half.
        (
            "Take it with food. Do not take it on an empty stomach.",
            "Do not take it with food, take it on an empty stomach.",
            "negation_mismatch",
        ),
        # A denial of a claim the same source clause makes, even when another clause of the
        # source uses the same words positively.
        (
            "Your care team will tell you which medicines to stop or keep. Do not stop any "
            "medicine on your own.",
            "You can stop your medicines on your own before the test.",
            "negation_mismatch",
        ),
        # A synonym in the same first sense carries the source's negation with it.
        (
            "Do not stop taking your statin medicine on your own.",
            "You can halt your statin medicine on your own when you feel well.",
            "negation_mismatch",
        ),
        # "Not enough" and "enough" disagree however each is said.
        (
            "Many adults do not get enough sleep.",
            "Many adults get enough sleep.",
            "negation_mismatch",
        ),
        (
            "Your thyroid makes too little hormone.",
            "Your thyroid makes enough hormone.",
            "negation_mismatch",
        ),
        # An ordinal is a number.
        (
            "They may need a second dose of naloxone.",
            "They may need a third dose of naloxone.",
            "unsupported_number",
        ),
        # A kind swapped for its opposite kind.
        (
            "Choose low-fat or fat-free milk and yogurt.",
            "Choose whole milk and yogurt.",
            "negation_mismatch",
        ),
        (
            "Rest helps the pain. Mild pain is common after surgery.",
            "Severe pain is common after surgery.",
            "negation_mismatch",
        ),
        (
            "Foods with fat, like chocolate, raise blood sugar more slowly.",
            "Foods with fat, like chocolate, raise blood sugar quickly.",
            "negation_mismatch",
        ),
        # A kind of thing the source does not name, even in an otherwise verbatim sentence.
        (
            "Choose low-fat or fat-free milk and yogurt.",
            "Choose low-fat or fat-free milk and cheese.",
            "unsupported_thing",
        ),
        (
            "Some statins do not mix well with grapefruit juice.",
            "Some statins do not mix well with orange juice.",
            "unsupported_thing",
        ),
        (
            "Give naloxone if you have it. Lay them on their side so they do not choke.",
            "Give naloxone if you have it, and give them water to help them wake up.",
            "unsupported_thing",
        ),
        # A medicine action the source never gives.
        (
            "Tell your care team if you take a blood thinner. A fall can cause bleeding inside "
            "your body that you cannot see.",
            "Tell your care team if you take a blood thinner, and stop the blood thinner after "
            "any fall.",
            "unsupported_action",
        ),
        # Another unit of time, with or without a number.
        (
            "If your home test is negative but you feel sick, you may need to test again in a "
            "day or two.",
            "If your home test is negative but you feel sick, you may need to test again in a "
            "week.",
            "unsupported_number",
        ),
        # "Full" is not "half"; "lie down" is not "stay upright".
        (
            "Eat or drink 15 grams of fast sugar, like half a cup of juice.",
            "Eat or drink 15 grams of fast sugar, like a full cup of juice.",
            "negation_mismatch",
        ),
        (
            "Take the pill with plain water on an empty stomach and stay upright after.",
            "Take the pill with plain water on an empty stomach and lie down after.",
            "negation_mismatch",
        ),
        # "And also" starts an added claim.
        (
            "A blood thinner lowers the chance of a clot and a stroke.",
            "A blood thinner lowers the chance of a clot and a stroke and also keeps the "
            "heartbeat steady.",
            "unsupported_clause",
        ),
        # "No longer need to" still denies what follows it.
        (
            "Keep taking your statin even if you feel fine.",
            "Once you feel fine, you no longer need to keep taking your statin.",
            "negation_mismatch",
        ),
        # A negation's object flips where the other side states what it denies first.
        (
            "Take it with food. Do not take it on an empty stomach.",
            "Take it on an empty stomach.",
            "negation_mismatch",
        ),
        # A claim stated of one thing is not supported by a clause about another that says it.
        (
            "Patches, gum, and lozenges can be bought without a prescription. A nasal spray "
            "and an inhaler need a prescription.",
            "Nicotine patches, gum, and lozenges need a prescription.",
            "negation_mismatch",
        ),
        # "Never" or "always" where the source says "not always".
        (
            "Not everyone with the flu has a fever.",
            "People with the flu never have a fever.",
            "qualifier_mismatch",
        ),
        ("Not everyone with the flu has a fever.", "Everyone with the flu has a fever.", None),
        ("Signs do not always show up early.", "Signs always show up early.", None),
        # A comparison made by a verb only where the source has the verb.
        (
            "Wounds heal slowly in people who smoke.",
            "Wounds heal more slowly in older people.",
            None,
        ),
        ("Take the pill with water.", "Older adults are at greater risk of side effects.", None),
        # A comparison made the other way round.
        (
            "Women get UTIs more often than men.",
            "Men get UTIs more often than women.",
            "negation_mismatch",
        ),
        (
            "Some people have higher readings at the doctor's office than at home.",
            "Some people have higher readings at home than at the doctor's office.",
            "negation_mismatch",
        ),
        # "For good" is "forever", which a hedged source does not say.
        (
            "Vaccines can help prevent some kinds of pneumonia.",
            "Vaccines prevent pneumonia for good.",
            None,
        ),
        # A kind swapped where the source names it in another clause.
        (
            "Fast sugar can be glucose tablets or gel. It can also be half a cup of juice or "
            "regular soda, not diet.",
            "Fast sugar can be glucose tablets or gel, or a full cup of juice or regular soda.",
            "negation_mismatch",
        ),
        # Where both clauses state the same subject, the whole scope of the negation flips.
        (
            "Antibiotics do not work against viruses.",
            "Antibiotics kill viruses.",
            "negation_mismatch",
        ),
        ("Do not give aspirin to children.", "Children can take aspirin.", "negation_mismatch"),
        # A bound the source does not set; half a dose is an amount, even where the source
        # speaks of cutting; an exception on another condition.
        ("Take 2 tablets a day.", "Take 2 tablets or more a day.", "comparison_unsupported"),
        ("Cut back on salt. Take your pill once a day.", "Cut your dose in half.", None),
        (
            "Do not stop it without talking to your doctor.",
            "Do not stop it unless you have side effects.",
            None,
        ),
        # A lead-in whose condition was cut off supports nothing unconditional.
        (
            "Stop taking it and call your doctor if you have:",
            "Stop taking it and call your doctor.",
            None,
        ),
        # "And must" starts a second claim, checked on its own.
        (
            "One common choice is a pill that has nirmatrelvir and ritonavir. It can affect "
            "many other medicines.",
            "One common choice is a pill with nirmatrelvir and ritonavir, which can affect many "
            "other medicines and must be taken with food.",
            "unsupported_clause",
        ),
        # An object the source does not name, in a sentence that repeats 70% of its words.
        (
            "Put grab bars in the tub or shower and near the toilet.",
            "Put grab bars in the tub or shower and next to your bed.",
            "unsupported_thing",
        ),
        # Another group of people than the source names.
        (
            "In children, teens, and young adults, antidepressants can sometimes raise "
            "thoughts of suicide.",
            "In children, teens, young adults, and older adults, antidepressants can sometimes "
            "raise thoughts of suicide.",
            "negation_mismatch",
        ),
        # "Skip it" told to someone is a medicine action the source does not give.
        (
            "If you miss a dose, ask your pharmacist what to do. Do not take two doses at once "
            "to catch up unless you are told to.",
            "If you miss a dose, ask your pharmacist what to do, and skip it if it is almost "
            "time for your next dose.",
            "unsupported_action",
        ),
        # "Most people" supports "usually", not an added "mostly" for a group.
        (
            "Most people get better from the flu in a few days to two weeks. But the flu can "
            "lead to serious problems, such as pneumonia.",
            "Most people get better from the flu in a few days to two weeks, but the flu can "
            "lead to serious problems, mostly in older people.",
            None,
        ),
        # Another amount in hours.
        (
            "Aim for at least 150 minutes of moderate activity each week, like brisk walking.",
            "Try to get three and a half hours or more of moderate activity every week.",
            "unsupported_number",
        ),
        # A flip in a claim's second sentence is still read.
        (
            "Insulin moves sugar into your cells. It does not cure diabetes.",
            "Insulin moves sugar into your cells. It cures diabetes.",
            "negation_mismatch",
        ),
        # A lower place is no upper one, and a lower point of a range still compares.
        (
            "Give the shot in your upper arm.",
            "Give the shot in your lower arm.",
            "negation_mismatch",
        ),
        (
            "Keep your blood sugar in your target range.",
            "Keep your blood sugar at the lower end of your target range.",
            "comparison_unsupported",
        ),
        (
            "Exercise helps your body.",
            "Exercise gives you a lower body weight.",
            "comparison_unsupported",
        ),
        # Whatever gets in the way of sleep affects it.
        (
            "Caffeine gets in the way of sleep.",
            "Caffeine does not affect your sleep.",
            "negation_mismatch",
        ),
        # "Faster" is no "more slowly", and "slower than it should" no "faster than it should".
        (
            "With osteoporosis, you lose bone faster than you build it.",
            "With osteoporosis, you lose bone more slowly than you build it.",
            "comparison_unsupported",
        ),
        (
            "With this problem, your metabolism runs slower than it should.",
            "With this problem, your metabolism runs faster than it should.",
            "negation_mismatch",
        ),
        # "Your body" where it says where something goes is a new place.
        (
            "Put the cream only on the rash.",
            "Put the cream all over your body.",
            "unsupported_thing",
        ),
        # A medicine action in a claim's second sentence is read on its own.
        (
            "Call your care team after a fall.",
            "Do not worry. Stop the blood thinner after a fall.",
            "unsupported_action",
        ),
        # "Only … if" is "not … unless": a different condition, or none, is not the source's.
        (
            "Do not take aspirin on your own during a heart attack unless a doctor tells you to.",
            "Only take aspirin during a heart attack if you feel sick.",
            "qualifier_mismatch",
        ),
        (
            "Do not crush, split, or chew pills unless your pharmacist says it is safe.",
            "Crush, split, or chew pills if your pharmacist says it is safe.",
            "negation_mismatch",
        ),
        (
            "Most people need it if they have symptoms.",
            "Most people need it only if they have symptoms.",
            "negation_mismatch",
        ),
        # "Talk to your team before you stop it" forbids stopping it first; talking after
        # stopping does not.
        (
            "Take it the way your care team told you. Do not stop it without talking to your "
            "care team.",
            "Talk to your care team after you stop it.",
            "negation_mismatch",
        ),
        # "Less" restates "cut back on", not a comparison with something else, nor "more".
        (
            "Cut back on caffeine, which can make anxiety worse.",
            "Have more caffeine, since it can make anxiety worse.",
            "comparison_unsupported",
        ),
        # "Minus" and "other than" deny, as "without" and "instead of" do.
        (
            "You may also hear of FAST. It is the same list without balance and eyes.",
            "FAST is the same list plus balance and eyes.",
            "negation_mismatch",
        ),
        (
            "Do not give aspirin to children or teens who have the flu.",
            "For children or teens with the flu, choose aspirin over other medicines.",
            "negation_mismatch",
        ),
        # People the source does not speak of.
        (
            "If you smoke, quitting is the most important thing you can do, so ask for help.",
            "Drinkers should quit, so ask for help.",
            "unsupported_thing",
        ),
        # "Nearly every" is "almost any": it does not become "every".
        (
            "Almost any infection can lead to sepsis.",
            "Every infection can lead to sepsis.",
            "qualifier_mismatch",
        ),
        (
            "Everyone 6 months and older should get one.",
            "Nearly everyone 6 months and older should get one.",
            "qualifier_mismatch",
        ),
        # A short question does not hide what follows it.
        (
            "If you miss a dose, read the label or ask your pharmacist what to do. Do not take "
            "two doses to make up for a missed one.",
            "Missed a dose? Take two doses to make up for it.",
            "negation_mismatch",
        ),
        # "Fine" is the opposite of "sick", however either is said.
        (
            "Most people with high blood pressure do not feel sick.",
            "Most people with high blood pressure feel sick.",
            "negation_mismatch",
        ),
        (
            "You may feel sick for a day or two after the shot.",
            "You may feel fine for a day or two after the shot.",
            "negation_mismatch",
        ),
        # A wait before something is not "after" it unless it is a wait for what you do.
        (
            "It can take a few weeks to feel better after you start treatment.",
            "You may feel better a few weeks before you start treatment.",
            "negation_mismatch",
        ),
        # Session 10's review: each rewrite stays as narrow as what it restates.
        (
            "Do not stop taking warfarin unless your doctor tells you to. Call your doctor if "
            "you have bleeding.",
            "Only stop taking warfarin if you have bleeding or your doctor tells you to.",
            "qualifier_mismatch",
        ),
        (
            "Do not stop taking it without talking to your doctor.",
            "You don't have to check with your doctor before you stop taking it.",
            "negation_mismatch",
        ),
        (
            "Cut back on sugary drinks. Drink water with meals.",
            "Cut back on sugary drinks and drink less water with meals.",
            "comparison_unsupported",
        ),
        (
            "Ice and rest can ease the pain. Walk a little every day.",
            "To ease the pain, walk less every day.",
            "comparison_unsupported",
        ),
        ("Take it 2 hours after you eat.", "Take it 2 hours before you eat.", "negation_mismatch"),
        (
            "It can take 2 weeks after you start the medicine to feel better.",
            "It can take 2 weeks before you start the medicine.",
            "negation_mismatch",
        ),
        (
            "This medicine causes a rash in some people.",
            "This medicine causes a rash in almost everyone.",
            "qualifier_mismatch",
        ),
        (
            "This test finds most cancers.",
            "This test finds almost every cancer.",
            "qualifier_mismatch",
        ),
        (
            "Call your doctor if you get a fever within 2 weeks.",
            "Call your doctor if you get a fever within 2 weeks of your last bite.",
            "unsupported_condition",
        ),
        # "goes" and "go" are one verb: the flip is read.
        (
            "Heart failure is a long-term problem. It does not go away. But with care, many "
            "people with heart failure feel better and stay active.",
            "With the right care, heart failure often goes away, and many people feel better "
            "and stay active.",
            "negation_mismatch",
        ),
    ],
)
def test_meaning_checks_clause_by_clause(
    embedder: Embedder, source: str, sentence: str, reason: str | None
) -> None:
    passage = SourcePassage(n=1, chunk_id=0, doc_id="d", title="T", section="", text=source)
    verdict = GroundingGuard(embedder).prepare([passage]).check(sentence + " [1]")
    assert not verdict.kept
    if reason is not None:
        assert verdict.reason == reason, verdict


def test_glossary_swaps_are_supported_by_construction(embedder: Embedder) -> None:
    source = "Hypertension can damage the renal arteries over many years."
    passage = SourcePassage(n=1, chunk_id=0, doc_id="d", title="T", section="", text=source)
    check = GroundingGuard(embedder).prepare([passage])
    assert check.check(
        "High blood pressure (hypertension) can damage the kidney arteries over many years [1]."
    ).kept


@pytest.mark.parametrize(
    ("source", "sentence"),
    [
        # Negations said in other words.
        (
            "Put the cuff on bare skin, not over your sleeve.",
            "Put the cuff on your bare skin rather than over your sleeve.",
        ),
        (
            "Keep opioids in a locked place, out of reach of children.",
            "Keep opioids locked, where children cannot reach them.",
        ),
        (
            "If you take dabigatran, swallow the capsules whole. Do not open, chew, or crush them.",
            "Swallow dabigatran capsules whole, without opening, chewing, or crushing them.",
        ),
        # "at least" compares nothing; "greater" is "higher".
        (
            "Take two or more readings, one minute apart.",
            "Take at least two readings, one minute apart.",
        ),
        (
            "Anyone can get sepsis. Your risk is higher if you are 65 or older.",
            "Your risk of sepsis is greater if you are 65 or older.",
        ),
        # Both negated, in other words and another order.
        (
            "Do not have red or purple drinks or gelatin.",
            "Skip any drinks or gelatin that are red or purple in color.",
        ),
        # Another source clause that states "viruses" does not contradict the clause this
        # sentence restates word for word.
        (
            "Antibiotics do not work on viruses. Colds and the flu are caused by viruses.",
            "Antibiotics do not work on viruses, so they will not help with a cold or the flu.",
        ),
        # "lower" as a verb compares nothing.
        (
            "ACE inhibitors relax your blood vessels. This lets blood flow more easily. It also "
            "lowers your blood pressure.",
            "ACE inhibitors relax your blood vessels and lower your blood pressure.",
        ),
        # "no longer work" is "stop working".
        (
            "Chronic kidney disease can lead to kidney failure. This means the kidneys stop "
            "working well enough to keep you alive.",
            "In kidney failure, the kidneys no longer work well enough to keep you alive.",
        ),
        # "strain on your heart" is no muscle strain.
        (
            "Over time, high blood pressure makes your heart work harder.",
            "Over time, high blood pressure makes your heart work harder and puts strain on it.",
        ),
        # A negation ends where the next clause starts: "do not drive | when … low".
        (
            "Do not drive when your blood sugar is low.",
            "Low blood sugar means your sugar is low, so do not drive.",
        ),
        # WordNet synonyms count as the source's words, in the support check and in polarity.
        (
            "Allergy pills can ease itching. They do not stop anaphylaxis.",
            "Allergy pills can ease itching, but they cannot halt anaphylaxis.",
        ),
        (
            "Eat less salt, since salt makes your body hold on to water.",
            "Eat less salt, because salt makes your body retain water.",
        ),
        (
            "Depression can make it hard to work. It can hurt your relationships.",
            "Depression can make it hard to work, and it can harm your relationships.",
        ),
        # "Stops getting blood" denies only the getting, as "stops flowing" denies the flow.
        (
            "A stroke happens when blood stops flowing to part of your brain.",
            "A stroke happens when part of your brain stops getting blood.",
        ),
        # "Not enough", said four ways.
        (
            "Hypothyroidism means your thyroid does not make enough of this hormone.",
            "In hypothyroidism, your thyroid makes too little of this hormone.",
        ),
        (
            "Low blood sugar means there is not enough sugar in your blood. Sugar is your "
            "body's main fuel.",
            "Low blood sugar means your blood lacks enough sugar, your body's main fuel.",
        ),
        # "Feel nothing" is "do not feel anything"; "at all" counts nobody.
        (
            "Some people with AFib feel nothing.",
            "Some people with AFib do not feel anything at all.",
        ),
        # "Non-diet" denies the diet, not the soda.
        (
            "Use half a cup of juice or regular soda, not diet.",
            "Use half a cup of juice or non-diet soda.",
        ),
        (
            "Do not drive until you know how the medicine affects you.",
            "Hold off on driving until you know how the medicine affects you.",
        ),
        # "Most widely used" ranks what "most common" ranks; "more than you need" is "too much".
        (
            "Statins are the most common kind of cholesterol medicine.",
            "Statins are the most widely used kind of cholesterol medicine.",
        ),
        (
            "Too much insulin can make your blood sugar drop too low.",
            "Taking more insulin than you need can make your blood sugar drop too low.",
        ),
        # People and things the source names in other words: "kids" are "children", and "your
        # doctor" is how many say "your care team"; "face a risk" is a verb, not a face.
        (
            "Keep opioids in a locked place, out of reach of children.",
            "Keep opioids locked up, out of reach of kids.",
        ),
        (
            "Ask your care team before you take a new medicine.",
            "Ask your doctor before you take a new medicine.",
        ),
        (
            "Anyone can get sepsis. Your risk is higher if you are 65 or older.",
            "Anyone can get sepsis, and people 65 or older face a higher risk.",
        ),
        # "A week" after a unit is "per week", not one week; "over the years" names no unit.
        (
            "Aim for at least 150 minutes of moderate activity each week.",
            "Try to get at least 150 minutes of moderate activity a week.",
        ),
        (
            "Over time, high blood pressure makes your heart work harder.",
            "Over the years, high blood pressure makes your heart work harder.",
        ),
        # "Cause no symptoms" is "do not cause symptoms"; "never double up" gives no action.
        (
            "Some health problems, like high blood pressure, do not cause symptoms.",
            "Some health problems, such as high blood pressure, cause no symptoms.",
        ),
        (
            "If you miss a dose, ask your care team what to do. Do not take two doses to make "
            "up for a missed one.",
            "If you miss a dose, ask your care team what to do, and never take two doses to "
            "make up for it.",
        ),
        # "Normally" is "usually"; "all the time" is "always"; "in place of" is "instead of".
        (
            "Normally, your body fights germs in one place.",
            "Usually your body fights germs in just one place.",
        ),
        (
            "Your body breaks down old bone and builds new bone all the time.",
            "Your body is always breaking down old bone and building new bone.",
        ),
        (
            "Allergy pills can ease itching. Do not use them in place of epinephrine.",
            "Allergy pills can ease itching, but never use them instead of epinephrine.",
        ),
        # "For years" is a long time, not a unit; "lacks insulin" is "too little insulin".
        (
            "This is more likely if you have had diabetes for a long time.",
            "This is more likely if you have had diabetes for years.",
        ),
        (
            "When your body lacks insulin, it burns fat for fuel.",
            "Without enough insulin, your body burns fat for energy.",
        ),
        # A wider kind of a thing the source names: "the gland" for "your thyroid".
        (
            "Hypothyroidism means your thyroid does not make enough of this hormone.",
            "In hypothyroidism, the gland makes too little of this hormone.",
        ),
        # "C. diff" does not end a sentence.
        (
            "Hand sanitizer gel does not kill C. diff germs well. Wash with soap and water.",
            "Hand sanitizer gel does not kill C. diff germs very well, so wash with soap and "
            "water.",
        ),
        # A pronoun-led source sentence also stands as itself.
        (
            "Do not clean it with alcohol or hydrogen peroxide unless you are told to. They can "
            "harm new skin.",
            "Do not clean it with alcohol or peroxide unless told to, because they can damage "
            "new skin.",
        ),
        # Only what a negation is about flips: "do not work on viruses" says nothing against
        # "colds are caused by viruses".
        (
            "Antibiotics do not work on viruses. Colds and the flu are caused by viruses. An "
            "antibiotic will not help you get well from them.",
            "Antibiotics do not work on viruses, so they will not help you get well from a cold "
            "or the flu.",
        ),
        (
            "Antibiotics do not work on the flu, because it is a virus.",
            "Antibiotics do not work on the flu, because the flu is caused by a virus.",
        ),
        # Two negations that cancel, said two ways.
        (
            "You do not need to avoid these foods. Just try to eat about the same amount each "
            "week.",
            "There's no need to cut out these foods; simply aim to eat roughly the same amount "
            "of them every week.",
        ),
        # "Most people" is what "usually" says; "at all times" is "always".
        (
            "Most people on a DOAC do not need regular INR blood tests.",
            "Regular INR blood tests usually aren't needed with a DOAC.",
        ),
        (
            "Keep fast sugar with you at all times.",
            "Always carry fast sugar with you.",
        ),
        # "Not every" holds for some, and "never" said of some agrees with it.
        (
            "Some people, most often children, may also throw up or have diarrhea. Not "
            "everyone with the flu has a fever.",
            "Throwing up or diarrhea can also happen, mostly in children, and some people with "
            "the flu never get a fever.",
        ),
        # "Kept away from" is "keep it away from"; "or more" is "at least"; "heal more
        # slowly" is "slows healing"; "greater risk" is "more likely"; "broken in half" splits.
        (
            "If you use oxygen, never smoke or let anyone smoke near it. Keep it away from open "
            "flames.",
            "Nobody, including you, should smoke near your oxygen, and it must be kept away from "
            "open flames.",
        ),
        (
            "Aim for at least 150 minutes of moderate activity each week, like brisk walking.",
            "Try to do moderate exercise, such as walking fast, for 150 minutes or more every "
            "week.",
        ),
        (
            "If you smoke, try to stop. Smoking slows the healing of your wound.",
            "Smoking makes wounds heal more slowly, so try to quit if you smoke.",
        ),
        (
            "After a fall, some people become afraid of falling again. They may move less, "
            "which can make them weaker and more likely to fall.",
            "Some people fear another fall after they've fallen once, so they move around less, "
            "and that can leave them weaker and at greater risk of falling.",
        ),
        (
            "If you take extended-release pills, swallow them whole. Do not crush, chew, or "
            "split them.",
            "Extended-release pills must be swallowed whole and never crushed, chewed, or broken "
            "in half.",
        ),
        # "Half an hour" is "30 minutes".
        (
            "Do not smoke, exercise, or have caffeine for 30 minutes before.",
            "For half an hour before you check, avoid smoking, exercising, and caffeine.",
        ),
        # "Skipping doses" speaks of skipping; "never skip" forbids it.
        (
            "But DOACs leave your body fast. If you miss doses, you lose protection quickly.",
            "DOACs clear out of your system quickly, so skipping doses means your protection "
            "fades fast.",
        ),
        ("Do not skip doses, even if you feel well.", "Never skip doses, even if you feel well."),
        # "Do not stop without talking" is "do not stop unless you have talked".
        (
            "Do not stop them early without talking to your care team, even if you feel better.",
            "Even if you feel better, don't stop them early unless you've talked to your care "
            "team first.",
        ),
        # The same comparison said from the other side.
        ("Women get UTIs more often than men.", "UTIs are more common in women than in men."),
        # The source clause a claim restates is the closest one that says it the same way.
        (
            "Heart failure means your heart does not pump as well as it should. It does not "
            "mean your heart has stopped.",
            "Having heart failure doesn't mean your heart has stopped; it means your heart isn't "
            "pumping as well as it should.",
        ),
        # The same amount in hours.
        (
            "Aim for at least 150 minutes of moderate activity each week, like brisk walking.",
            "Try to get two and a half hours or more of moderate activity, such as brisk "
            "walking, every week.",
        ),
        # Each sentence of a claim is read on its own: "cannot use it well" denies nothing in
        # the next sentence.
        (
            "It happens when your body does not make enough insulin, or cannot use it well. "
            "Insulin moves sugar from your blood into your cells.",
            "Diabetes happens when your body does not make enough insulin or cannot use it "
            "well. Insulin moves sugar from your blood into your cells.",
        ),
        # A place in the body compares nothing.
        (
            "A ring of muscle at the bottom of your food pipe should close after you swallow.",
            "A ring of muscle at the lower end of your food pipe should shut after you swallow.",
        ),
        # "As a stand-in for" is "in place of": no new person.
        (
            "Do not use a heating pad in place of your medicine.",
            "Never use a heating pad as a stand-in for your medicine.",
        ),
        # "More quickly" compares as "faster" does.
        (
            "With osteoporosis, you lose bone faster than you build it.",
            "When you have osteoporosis, bone is lost more quickly than it is replaced.",
        ),
        # The patient's own body is no new thing.
        (
            "Nicotine replacement gives you nicotine without the smoke.",
            "Nicotine replacement gives your body nicotine without the smoke.",
        ),
        # "Only X if Y" is "do not X unless Y", wherever "only" stands.
        (
            "Do not take aspirin on your own during a heart attack unless a doctor or the 911 "
            "operator tells you to. Aspirin is not safe for everyone.",
            "Only take aspirin during a heart attack if a doctor or the 911 operator tells you "
            "to, because it is not safe for everyone.",
        ),
        (
            "Do not crush, split, or chew pills unless your pharmacist says it is safe.",
            "Crush, split, or chew pills only if your pharmacist says it is safe.",
        ),
        (
            "Blood pressure medicine works only when you keep taking it.",
            "Blood pressure medicine only works when you keep taking it.",
        ),
        # "Talk to them before you stop it" is "do not stop it without talking to them".
        (
            "Take it the way your care team told you. Do not stop it without talking to your "
            "care team.",
            "Talk to your care team before you stop it.",
        ),
        # "Less" says what "cut back on" and "ease" say.
        (
            "Cut back on caffeine, which can make anxiety worse.",
            "Have less caffeine, because it can make anxiety worse.",
        ),
        # "Minus" is "without"; "something other than aspirin" is "not aspirin".
        (
            "You may also hear of FAST. It is the same list without balance and eyes.",
            "You might also hear about FAST, which is the same list minus balance and eyes.",
        ),
        (
            "Do not give aspirin to children or teens who have the flu.",
            "Choose something other than aspirin for children or teens who have the flu.",
        ),
        # "Everyone …, with rare exceptions" is "nearly everyone".
        (
            "Everyone 6 months and older should get one, with rare exceptions.",
            "Nearly everyone aged 6 months or older should get one.",
        ),
        # Pain medicines in other words.
        (
            "Some pain medicines, such as ibuprofen or naproxen, can make ACE inhibitors work "
            "less well. They can also strain your kidneys.",
            "Pain relievers such as ibuprofen or naproxen can make ACE inhibitors work less "
            "well and can put strain on your kidneys.",
        ),
        (
            "Almost any infection can lead to sepsis. It often starts with an infection in the "
            "lungs, the bladder, the skin, or the gut.",
            "Nearly every kind of infection can turn into sepsis, and it often begins with an "
            "infection of the lungs, bladder, skin, or gut.",
        ),
        # "Do not feel sick" is "feel fine".
        (
            "Most people with high blood pressure do not feel sick. The only way to know is to "
            "get your blood pressure checked.",
            "Most people with high blood pressure feel fine, so getting your blood pressure "
            "checked is the only way to know if you have it.",
        ),
        # "It can take weeks before you feel better" is "it can take weeks to feel better".
        (
            "It can take a few weeks to feel better after you start treatment.",
            "After you start treatment, it can take a few weeks before you feel better.",
        ),
        # "As time goes on" says when; nothing "goes" against "does not go away".
        (
            "An anxiety disorder is different. The worry or fear does not go away. It may get "
            "worse over time.",
            "In an anxiety disorder, the worry or fear doesn't go away and may grow worse as "
            "time goes on.",
        ),
    ],
)
def test_faithful_rewordings_are_kept(embedder: Embedder, source: str, sentence: str) -> None:
    passage = SourcePassage(n=1, chunk_id=0, doc_id="d", title="T", section="", text=source)
    verdict = GroundingGuard(embedder).prepare([passage]).check(sentence + " [1]")
    assert verdict.kept, verdict


@pytest.mark.parametrize(
    ("text", "said", "denied"),
    [
        ("Do not open, chew, or crush them.", set(), {"open", "chew", "crush"}),
        ("Do not drive when your blood sugar is low.", {"blood", "sugar", "low"}, {"drive"}),
        ("Eat a snack to keep it from dropping again.", {"eat", "snack"}, {"drop"}),
        ("Do not skip your medicine.", {"medicin"}, set()),
        ("Keep it out of reach of children.", {"children"}, {"reach"}),
        ("Your heart has stopped pumping.", {"heart", "stop"}, {"pump"}),
        ("The kidneys no longer work.", {"kidney"}, {"work"}),
        ("Antibiotics stop germs from growing.", {"antibiot", "germ"}, {"grow"}),
        # The stopped or no-longer action alone is denied.
        ("Part of the heart stops getting blood.", {"part", "heart", "stop", "blood"}, {"get"}),
        ("The kidneys no longer filter waste.", {"kidney", "wast"}, {"filter"}),
        ("You no longer need to take it.", set(), {"need", "take"}),
        ("Drink non-diet soda.", {"drink", "soda"}, {"diet"}),
        ("Some people feel nothing.", {"peopl"}, {"feel", "anyth"}),
        ("Hold off on driving.", set(), {"drive"}),
        # "And may" starts a new clause, where the negation ends.
        (
            "They might not have these signs and may become confused.",
            {"becom", "confus"},
            {"sign"},
        ),
        # A second cue cancels the first only right after it ("do not skip").
        ("Do not use them in place of epinephrine.", set(), {"epinephrin"}),
        # Two negations that cancel allow what they speak of.
        ("You do not need to avoid leafy greens.", {"leafi", "green"}, set()),
        # "Not enough" denies the amount, not the thing.
        ("Your thyroid does not make enough hormone.", {"thyroid", "littl", "hormon"}, set()),
    ],
)
def test_polarity_scopes(text: str, said: set[str], denied: set[str]) -> None:
    got_said, got_denied = polarity(text)
    assert got_denied == denied
    assert said <= got_said


def test_a_name_of_several_words_counts_when_half_its_words_are_in_the_source(
    embedder: Embedder,
) -> None:
    """ "Nasal spray" names the source's "nose spray"; one-word names must be there themselves."""
    passage = SourcePassage(
        n=1,
        chunk_id=0,
        doc_id="naloxone",
        title="Naloxone",
        section="",
        text="You can buy the nose spray at a drug store without a prescription.",
    )
    check = GroundingGuard(embedder).prepare([passage])
    kept = check.check(
        "You can buy the naloxone nasal spray at a drug store without a prescription [1]."
    )
    assert kept.kept, kept
    invented = check.check(
        "You can buy naloxone or nalmefene at a drug store without a prescription [1]."
    )
    assert (invented.kept, invented.reason) == (False, "unsupported_drug")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Do not rub it.", [({"rub"}, set())]),
        ("Antibiotics do not work on viruses.", [({"work"}, {"virus"})]),
        ("They will not help you get well from a cold.", [({"help"}, {"cold"})]),
        # A word that frames what follows passes the denial on.
        ("You do not need to call 911.", [({"need", "call", "911"}, set())]),
        ("It does not mean your heart has stopped.", [({"mean", "heart", "stop"}, set())]),
        ("Most people do not need regular INR tests.", [({"need"}, {"regular", "inr"})]),
    ],
)
def test_denials_split_what_a_negation_is_about_from_its_scope(
    text: str, expected: list[tuple[set[str], set[str]]]
) -> None:
    assert [(set(first), set(rest)) for first, rest in denials(text)] == expected
