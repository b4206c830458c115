# Golden estimates from R's survey package for the socialcover survey-engine parity tests.
#
# Command:   Rscript tests/survey/golden/parity.R tests/survey/golden/data tests/survey/golden/parity.json
# Produced with R survey 4.1.1 (Debian r-cran-survey), R 4.2.
#
# Each case carries its design and call in a form the Python test rebuilds with
# socialcover.survey (Design/Sample), and R's answer per domain: estimate, se, deff,
# df and the interval as R gives them by default: confint() on svymean, svytotal, svyratio and
# svycontrast is normal (df = Inf, written "inf"); svyquantile and svyciprop use df = degf of
# the domain design.
# Domains are computed with subset() of the full design (what svyby does per level).
suppressMessages(library(survey))
suppressMessages(library(jsonlite))
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args) >= 1) args[1] else "tests/survey/golden/data"
out <- if (length(args) >= 2) args[2] else "tests/survey/golden/parity.json"
rd <- function(name) read.csv(file.path(dir, paste0(name, ".csv")), stringsAsFactors = FALSE,
                              check.names = FALSE)
datasets <- list(apisrs = rd("apisrs"), apistrat = rd("apistrat"), apiclus1 = rd("apiclus1"),
                 apiclus2 = rd("apiclus2"), nhanes = rd("nhanes"),
                 apistrat_boot = rd("apistrat_boot"), apiclus1_jk1 = rd("apiclus1_jk1"),
                 mu284 = rd("mu284"), fpc = rd("fpc"), apistrat_subboot = rd("apistrat_subboot"))
# BRR pairs PSUs by first appearance within strata: give R the rows sorted by stratum and PSU
# (BRR also needs two PSUs per stratum: nhanes_pairs keeps the strata that have two)
nh <- datasets$nhanes
npsu <- tapply(nh$SDMVPSU, nh$SDMVSTRA, function(x) length(unique(x)))
nh <- nh[nh$SDMVSTRA %in% as.numeric(names(npsu)[npsu == 2]), ]
datasets$nhanes_pairs <- nh[order(nh$SDMVSTRA, nh$SDMVPSU), ]
q <- function(x) paste0("`", x, "`")
make_design <- function(spec, data) {
  rep <- spec$replicate
  if (!is.null(rep) && length(rep$columns)) {
    rw <- as.matrix(data[, unlist(rep$columns)])
    # svrepdesign has no "subbootstrap" type: its columns are bootstrap ones, scale 1/(R - 1)
    sub <- rep$type == "subbootstrap"
    return(calibrate(svrepdesign(data = data, repweights = rw,
                                 weights = as.formula(paste("~", q(spec$weights))),
                                 type = if (sub) "bootstrap" else rep$type,
                                 scale = if (sub) 1 / (ncol(rw) - 1) else rep$scale,
                                 rscales = unlist(rep$rscales),
                                 rho = rep$rho, combined.weights = TRUE, mse = isTRUE(rep$mse)),
                     spec))
  }
  ids <- if (length(spec$psu)) as.formula(paste("~", paste(q(spec$psu), collapse = "+"))) else ~1
  strata <- if (!is.null(spec$strata)) as.formula(paste("~", q(spec$strata))) else NULL
  weights <- if (!is.null(spec$weights)) as.formula(paste("~", q(spec$weights))) else NULL
  fpc <- if (length(spec$fpc)) as.formula(paste("~", paste(q(spec$fpc), collapse = "+"))) else NULL
  d <- svydesign(ids = ids, strata = strata, weights = weights, fpc = fpc, nest = isTRUE(spec$nest),
                 data = data)
  if (!is.null(rep))
    d <- suppressWarnings(as.svrepdesign(d, type = rep$type,
                                         fay.rho = if (is.null(rep$rho)) 0 else rep$rho,
                                         mse = isTRUE(rep$mse)))
  calibrate(d, spec)
}
calibrate <- function(d, spec) {
  if (!is.null(spec$poststratify)) {
    ps <- spec$poststratify
    pop <- data.frame(names(ps$totals), as.numeric(unlist(ps$totals)))
    names(pop) <- c(ps$by, "Freq")
    d <- postStratify(d, as.formula(paste("~", q(ps$by))), pop)
  }
  if (!is.null(spec$rake)) {
    sm <- lapply(names(spec$rake), function(v) as.formula(paste("~", q(v))))
    pm <- lapply(names(spec$rake), function(v) {
      tt <- spec$rake[[v]]
      pop <- data.frame(names(tt), as.numeric(unlist(tt)))
      names(pop) <- c(v, "Freq")
      pop
    })
    d <- suppressWarnings(rake(d, sm, pm))
  }
  d
}
num <- function(x) { x <- as.numeric(x); if (length(x) == 0 || !is.finite(x)) NA else x }
one <- function(case, d) {
  f <- function(v) as.formula(paste("~", q(v)))
  st <- case$stat
  na <- isTRUE(case$na_rm)
  if (st %in% c("mean", "total")) {
    fn <- if (st == "mean") svymean else svytotal
    m <- fn(f(case$variable), d, deff = TRUE, na.rm = na)
    ci <- confint(m)
    list(estimate = num(coef(m)), se = num(SE(m)), deff = num(deff(m)), df = "inf",
         ci_low = num(ci[1]), ci_high = num(ci[2]))
  } else if (st == "ratio") {
    rep <- inherits(d, "svyrep.design")
    m <- svyratio(f(case$variable), f(case$denominator), d, deff = !rep, na.rm = na)
    est <- num(coef(m)); se <- num(SE(m))
    ci <- confint(m)
    out <- list(estimate = est, se = se, df = "inf", ci_low = num(ci[1]), ci_high = num(ci[2]))
    if (!rep) out$deff <- num(attr(m, "deff"))
    out
  } else if (st == "quantile") {
    df <- degf(d)
    m <- suppressWarnings(suppressMessages(
      svyquantile(f(case$variable), d, quantiles = case$probs, qrule = case$qrule,
                  interval.type = case$interval_type, na.rm = na, df = df)))[[1]]
    lapply(seq_along(case$probs), function(i)
      list(quantile = case$probs[i], estimate = num(m[i, 1]), ci_low = num(m[i, 2]),
           ci_high = num(m[i, 3]), se = num(m[i, 4]), df = df))
  } else if (st == "shares") {
    lev <- if (length(case$declared)) unlist(case$declared) else sort(unique(d$variables[[case$variable]]))
    d <- update(d, .f = factor(d$variables[[case$variable]], levels = lev))
    m <- svymean(~.f, d, deff = TRUE)
    ci <- confint(m)
    lapply(seq_along(lev), function(i)
      list(level = lev[i], estimate = num(coef(m)[i]), se = num(SE(m)[i]),
           deff = num(deff(m)[i]), df = "inf", ci_low = num(ci[i, 1]), ci_high = num(ci[i, 2])))
  } else if (st == "proportion") {
    df <- degf(d)
    m <- svyciprop(f(case$variable), d, method = case$method, df = df, na.rm = na)
    ci <- attr(m, "ci")
    list(estimate = num(coef(m)), se = num(sqrt(vcov(m))), df = df,
         ci_low = num(ci[1]), ci_high = num(ci[2]))
  }
}
run_case <- function(case) {
  options(survey.lonely.psu = if (is.null(case$design$lonely_psu)) "fail" else case$design$lonely_psu)
  data <- datasets[[case$data]]
  d <- make_design(case$design, data)
  if (!is.null(case$where_r)) d <- subset(d, eval(parse(text = case$where_r), d$variables))
  if (case$stat == "difference") {
    # svyby(covmat=TRUE) fails with na.rm=TRUE in survey 4.1.1: drop missing values by subset
    if (isTRUE(case$na_rm)) d <- subset(d, !is.na(d$variables[[case$variable]]))
    b <- svyby(as.formula(paste("~", q(case$variable))), as.formula(paste("~", q(case$by))), d,
               svymean, covmat = TRUE)
    lev <- as.character(b[[case$by]])
    w <- ifelse(lev == case$levels[[1]], 1, ifelse(lev == case$levels[[2]], -1, 0))
    con <- svycontrast(b, w)
    ci <- confint(con)
    case$results <- list(list(estimate = num(coef(con)), se = num(SE(con)), df = "inf",
                              ci_low = num(ci[1]), ci_high = num(ci[2])))
    return(case)
  }
  if (!is.null(case$by_declared)) {
    # declared levels of the domain column, kept when empty (drop.empty.groups = FALSE)
    d <- update(d, .b = factor(d$variables[[case$by]], levels = unlist(case$by_declared)))
    fn <- if (case$stat == "mean") svymean else svytotal
    b <- svyby(as.formula(paste("~", q(case$variable))), ~.b, d, fn,
               drop.empty.groups = FALSE, na.rm = isTRUE(case$na_rm))
    ci <- confint(b)
    case$results <- lapply(seq_len(nrow(b)), function(i)
      list(domain = as.character(b$.b[i]), estimate = num(coef(b)[i]), se = num(SE(b)[i]),
           ci_low = num(ci[i, 1]), ci_high = num(ci[i, 2])))
    return(case)
  }
  if (is.null(case$by)) {
    r <- one(case, d)
    case$results <- if (case$stat %in% c("quantile", "shares")) r else list(r)
  } else {
    levs <- sort(unique(d$variables[[case$by]]))
    case$results <- lapply(levs, function(l) {
      r <- one(case, subset(d, d$variables[[case$by]] == l))
      if (case$stat == "quantile") return(lapply(r, function(x) c(x, list(domain = l))))
      r$domain <- l
      r
    })
    if (case$stat == "quantile") case$results <- do.call(c, case$results)
    # svyby gives the same estimates and SEs as the subsets (checked here, not assumed)
    if (case$stat %in% c("mean", "total")) {
      fn <- if (case$stat == "mean") svymean else svytotal
      b <- svyby(as.formula(paste("~", q(case$variable))), as.formula(paste("~", q(case$by))),
                 d, fn, na.rm = isTRUE(case$na_rm))
      stopifnot(isTRUE(all.equal(unname(coef(b)), sapply(case$results, `[[`, "estimate"))))
      stopifnot(isTRUE(all.equal(unname(SE(b)), sapply(case$results, `[[`, "se"))))
    }
  }
  case
}
D <- function(weights = NULL, strata = NULL, psu = character(0), fpc = character(0), nest = FALSE,
              lonely_psu = "fail")
  list(weights = weights, strata = strata, psu = psu, fpc = fpc, nest = nest,
       lonely_psu = lonely_psu)
designs <- list(
  srs_fpc = list(data = "apisrs", design = D("pw", fpc = "fpc")),
  srs = list(data = "apisrs", design = D("pw")),
  strat = list(data = "apistrat", design = D("pw", strata = "stype", fpc = "fpc")),
  strat_nofpc = list(data = "apistrat", design = D("pw", strata = "stype")),
  clus1_fpc = list(data = "apiclus1", design = D("pw", psu = "dnum", fpc = "fpc")),
  clus1 = list(data = "apiclus1", design = D("pw", psu = "dnum")),
  clus2_fpc = list(data = "apiclus2", design = D("pw", psu = c("dnum", "snum"), fpc = c("fpc1", "fpc2"))),
  clus2 = list(data = "apiclus2", design = D("pw", psu = c("dnum", "snum"))),
  nhanes = list(data = "nhanes", design = D("WTMEC2YR", strata = "SDMVSTRA", psu = "SDMVPSU", nest = TRUE))
)
cases <- list()
add <- function(id, dname, ...) {
  base <- designs[[dname]]
  cases[[length(cases) + 1]] <<- c(list(id = id, data = base$data, design = base$design), list(...))
}
api_designs <- c("srs_fpc", "srs", "strat", "strat_nofpc", "clus1_fpc", "clus1", "clus2_fpc", "clus2")
for (dn in api_designs) {
  add(paste0(dn, "-mean"), dn, stat = "mean", variable = "api00")
  add(paste0(dn, "-total"), dn, stat = "total", variable = "enroll", na_rm = TRUE)
  add(paste0(dn, "-ratio"), dn, stat = "ratio", variable = "api00", denominator = "api99")
  add(paste0(dn, "-mean-by"), dn, stat = "mean", variable = "api00", by = "stype")
  add(paste0(dn, "-total-by"), dn, stat = "total", variable = "enroll", by = "stype", na_rm = TRUE)
  add(paste0(dn, "-ratio-by"), dn, stat = "ratio", variable = "api00", denominator = "api99", by = "stype")
  add(paste0(dn, "-mean-where"), dn, stat = "mean", variable = "api00",
      where = "stype = 'H'", where_r = "stype == 'H'")
  add(paste0(dn, "-mean-where-by"), dn, stat = "mean", variable = "growth", by = "awards",
      where = "api99 > 600", where_r = "api99 > 600")
  add(paste0(dn, "-diff"), dn, stat = "difference", variable = "api00", by = "awards",
      levels = list("No", "Yes"))
  for (m in c("logit", "beta", "mean", "asin", "xlogit", "likelihood"))
    add(paste0(dn, "-prop-", m), dn, stat = "proportion", variable = "sw", method = m)
  add(paste0(dn, "-prop-by"), dn, stat = "proportion", variable = "hi", method = "logit", by = "stype")
}
# tiny domains: one school, a handful of schools
add("clus1-tiny-one-row", "clus1", stat = "mean", variable = "api00",
    where = "snum = 236", where_r = "snum == 236")
add("clus1_fpc-tiny-total", "clus1_fpc", stat = "total", variable = "enroll",
    where = "api00 > 880", where_r = "api00 > 880")
add("strat-tiny-by", "strat", stat = "mean", variable = "api00", by = "stype",
    where = "meals < 3", where_r = "meals < 3")
add("clus2_fpc-tiny", "clus2_fpc", stat = "mean", variable = "api00",
    where = "dnum = 83", where_r = "dnum == 83")
# lonely PSUs: apiclus1 stratified by dnum %% 7 (strata 5 and 6 hold one district each)
for (rule in c("remove", "adjust", "average", "certainty")) {
  for (fp in list(character(0), "fpc")) {
    lab <- paste0("lonely-", rule, if (length(fp)) "-fpc" else "")
    cases[[length(cases) + 1]] <- list(id = paste0(lab, "-mean"), data = "apiclus1",
      design = D("pw", strata = "lstr", psu = "dnum", fpc = fp, lonely_psu = rule),
      stat = "mean", variable = "api00")
    cases[[length(cases) + 1]] <- list(id = paste0(lab, "-total-by"), data = "apiclus1",
      design = D("pw", strata = "lstr", psu = "dnum", fpc = fp, lonely_psu = rule),
      stat = "total", variable = "enroll", by = "stype")
    cases[[length(cases) + 1]] <- list(id = paste0(lab, "-where"), data = "apiclus1",
      design = D("pw", strata = "lstr", psu = "dnum", fpc = fp, lonely_psu = rule),
      stat = "mean", variable = "api00", where = "lstr <> 2", where_r = "lstr != 2")
  }
}
# NHANES: stratified two-PSU design with nest=TRUE, missing values in HI_CHOL
add("nhanes-mean", "nhanes", stat = "mean", variable = "HI_CHOL", na_rm = TRUE)
add("nhanes-total", "nhanes", stat = "total", variable = "HI_CHOL", na_rm = TRUE)
add("nhanes-mean-by-age", "nhanes", stat = "mean", variable = "HI_CHOL", by = "agecat", na_rm = TRUE)
add("nhanes-mean-by-race", "nhanes", stat = "mean", variable = "HI_CHOL", by = "race", na_rm = TRUE)
add("nhanes-mean-where", "nhanes", stat = "mean", variable = "HI_CHOL", na_rm = TRUE,
    where = "RIAGENDR = 2 AND race = 1", where_r = "RIAGENDR == 2 & race == 1")
add("nhanes-ratio", "nhanes", stat = "ratio", variable = "HI_CHOL", denominator = "RIAGENDR",
    na_rm = TRUE, by = "race")
add("nhanes-diff-sex", "nhanes", stat = "difference", variable = "HI_CHOL", by = "RIAGENDR",
    levels = list(2, 1), na_rm = TRUE)
for (m in c("logit", "beta", "mean", "asin", "xlogit", "likelihood"))
  add(paste0("nhanes-prop-", m), "nhanes", stat = "proportion", variable = "HI_CHOL", method = m,
      na_rm = TRUE, by = "agecat")
# quantiles: rules and interval types (Woodruff), whole sample and domains
for (dn in c("srs_fpc", "strat", "clus1_fpc", "clus2_fpc", "clus1")) {
  for (qr in c("math", "school", "hf3")) {
    add(paste0(dn, "-quantile-", qr), dn, stat = "quantile", variable = "api00",
        probs = c(0.1, 0.5, 0.9), qrule = qr, interval_type = "mean")
  }
  for (it in c("beta", "xlogit", "asin")) {
    add(paste0(dn, "-quantile-ci-", it), dn, stat = "quantile", variable = "enroll",
        probs = c(0.25, 0.5), qrule = "math", interval_type = it, na_rm = TRUE)
  }
  add(paste0(dn, "-quantile-by"), dn, stat = "quantile", variable = "api00", probs = c(0.5),
      qrule = "math", interval_type = "mean", by = "stype")
}
add("nhanes-quantile-where", "nhanes", stat = "quantile", variable = "HI_CHOL", probs = c(0.5, 0.9),
    qrule = "school", interval_type = "beta", na_rm = TRUE, where = "race = 2", where_r = "race == 2")
# post-stratification on school type (population counts of California schools)
P <- function(base) {
  d <- designs[[base]]
  d$design$poststratify <- list(by = "stype", totals = list(E = 4421, H = 755, M = 1018))
  d
}
for (dn in c("clus1", "clus1_fpc", "strat", "srs_fpc", "clus2_fpc")) {
  pn <- paste0(dn, "_ps")
  designs[[pn]] <- P(dn)
  add(paste0(pn, "-mean"), pn, stat = "mean", variable = "api00")
  add(paste0(pn, "-total"), pn, stat = "total", variable = "enroll", na_rm = TRUE)
  add(paste0(pn, "-mean-by"), pn, stat = "mean", variable = "api00", by = "stype")
  add(paste0(pn, "-mean-by-awards"), pn, stat = "mean", variable = "api00", by = "awards")
  add(paste0(pn, "-ratio-where"), pn, stat = "ratio", variable = "api00", denominator = "api99",
      where = "awards = 'Yes'", where_r = "awards == 'Yes'")
  add(paste0(pn, "-prop"), pn, stat = "proportion", variable = "sw", method = "logit")
  # (svyby(covmat=TRUE) fails on post-stratified designs in survey 4.1.1: no difference case)
}
# raking on school type and awards (margins consistent: both sum to 6194)
K <- function(base) {
  d <- designs[[base]]
  d$design$rake <- list(stype = list(E = 4421, H = 755, M = 1018),
                        awards = list(No = 2300, Yes = 3894))
  d
}
for (dn in c("clus1", "clus1_fpc", "strat", "clus2_fpc")) {
  kn <- paste0(dn, "_rake")
  designs[[kn]] <- K(dn)
  add(paste0(kn, "-mean"), kn, stat = "mean", variable = "api00")
  add(paste0(kn, "-total"), kn, stat = "total", variable = "enroll", na_rm = TRUE)
  add(paste0(kn, "-mean-by"), kn, stat = "mean", variable = "api00", by = "stype")
  add(paste0(kn, "-mean-where"), kn, stat = "mean", variable = "growth",
      where = "sw = 1", where_r = "sw == 1")
  add(paste0(kn, "-ratio"), kn, stat = "ratio", variable = "api00", denominator = "api99")
}
for (dn in c("srs_fpc", "clus1", "strat")) {
  for (qr in c("hf4", "hf5", "hf6", "hf7", "hf8", "hf9", "shahvaish")) {
    add(paste0(dn, "-quantile-", qr), dn, stat = "quantile", variable = "api00",
        probs = c(0.1, 0.5, 0.9), qrule = qr, interval_type = "mean")
  }
}
# replicate designs
R <- function(base, type, rho = NULL, mse = FALSE) {
  d <- designs[[base]]
  d$design$replicate <- list(type = type, rho = rho, mse = mse)
  d
}
designs$clus1_jk1 <- R("clus1", "JK1")
designs$clus1_fpc_jk1 <- R("clus1_fpc", "JK1")
designs$clus1_jk1_mse <- R("clus1", "JK1", mse = TRUE)
designs$strat_jkn <- R("strat", "JKn")
designs$strat_nofpc_jkn <- R("strat_nofpc", "JKn")
designs$nhanes_jkn <- R("nhanes", "JKn")
designs$nhanes_brr <- R("nhanes", "BRR")
designs$nhanes_brr$data <- "nhanes_pairs"
designs$nhanes_fay <- R("nhanes", "Fay", rho = 0.3)
designs$nhanes_fay$data <- "nhanes_pairs"
designs$clus2_jk1 <- R("clus2", "JK1")
designs$boot_cols <- list(data = "apistrat_boot", design = list(weights = "pw",
  replicate = list(type = "bootstrap", columns = paste0("rep", 1:50), scale = 0.020754064337599448)))
designs$jk1_cols <- list(data = "apiclus1_jk1", design = list(weights = "pw",
  replicate = list(type = "JK1", columns = paste0("rep", 1:15), scale = 14 / 15)))
for (dn in c("clus1_jk1", "clus1_fpc_jk1", "clus1_jk1_mse", "strat_jkn", "strat_nofpc_jkn",
             "clus2_jk1", "boot_cols", "jk1_cols")) {
  add(paste0(dn, "-mean"), dn, stat = "mean", variable = "api00")
  add(paste0(dn, "-total-by"), dn, stat = "total", variable = "enroll", by = "stype", na_rm = TRUE)
  add(paste0(dn, "-ratio"), dn, stat = "ratio", variable = "api00", denominator = "api99")
  add(paste0(dn, "-mean-where"), dn, stat = "mean", variable = "api00",
      where = "stype = 'H'", where_r = "stype == 'H'")
  add(paste0(dn, "-diff"), dn, stat = "difference", variable = "api00", by = "awards",
      levels = list("No", "Yes"))
  add(paste0(dn, "-prop-beta"), dn, stat = "proportion", variable = "sw", method = "beta")
}
for (dn in c("clus1_jk1", "strat_jkn", "boot_cols", "jk1_cols")) {
  add(paste0(dn, "-quantile"), dn, stat = "quantile", variable = "api00", probs = c(0.25, 0.5),
      qrule = "math", interval_type = "mean")
  # (svyquantile.svyrep.design ignores interval.type other than "quantile": always Wald "mean")
  add(paste0(dn, "-quantile-by"), dn, stat = "quantile", variable = "api00", probs = c(0.5),
      qrule = "hf7", interval_type = "mean", by = "stype")
}
for (dn in c("clus1_jk1", "boot_cols", "jk1_cols", "strat_jkn")) {
  add(paste0(dn, "-quantile-reps"), dn, stat = "quantile", variable = "api00",
      probs = c(0.25, 0.5), qrule = "math", interval_type = "quantile")
  add(paste0(dn, "-quantile-reps-by"), dn, stat = "quantile", variable = "api00",
      probs = c(0.5), qrule = "hf7", interval_type = "quantile", by = "stype")
}
add("nhanes_brr-quantile-reps", "nhanes_brr", stat = "quantile", variable = "HI_CHOL",
    probs = c(0.5), qrule = "school", interval_type = "quantile", na_rm = TRUE)
# calibrated replicate designs: each replicate is calibrated as the full sample
for (dn in c("clus1_jk1", "strat_jkn", "boot_cols", "jk1_cols")) {
  pn <- paste0(dn, "_ps")
  designs[[pn]] <- designs[[dn]]
  designs[[pn]]$design$poststratify <- list(by = "stype", totals = list(E = 4421, H = 755, M = 1018))
  add(paste0(pn, "-mean"), pn, stat = "mean", variable = "api00")
  add(paste0(pn, "-mean-by"), pn, stat = "mean", variable = "api00", by = "awards")
  add(paste0(pn, "-total-where"), pn, stat = "total", variable = "enroll", na_rm = TRUE,
      where = "sw = 1", where_r = "sw == 1")
  kn <- paste0(dn, "_rake")
  designs[[kn]] <- designs[[dn]]
  designs[[kn]]$design$rake <- list(stype = list(E = 4421, H = 755, M = 1018),
                                    awards = list(No = 2300, Yes = 3894))
  add(paste0(kn, "-mean"), kn, stat = "mean", variable = "api00")
  add(paste0(kn, "-ratio-by"), kn, stat = "ratio", variable = "api00", denominator = "api99",
      by = "stype")
}
for (dn in c("nhanes_jkn", "nhanes_brr", "nhanes_fay")) {
  add(paste0(dn, "-quantile"), dn, stat = "quantile", variable = "HI_CHOL", probs = c(0.5, 0.9),
      qrule = "school", interval_type = "mean", na_rm = TRUE)
  add(paste0(dn, "-mean-by"), dn, stat = "mean", variable = "HI_CHOL", by = "agecat", na_rm = TRUE)
  add(paste0(dn, "-total"), dn, stat = "total", variable = "HI_CHOL", na_rm = TRUE)
  add(paste0(dn, "-ratio"), dn, stat = "ratio", variable = "HI_CHOL", denominator = "RIAGENDR",
      na_rm = TRUE)
  add(paste0(dn, "-prop-logit"), dn, stat = "proportion", variable = "HI_CHOL", method = "logit",
      na_rm = TRUE, where = "race = 1", where_r = "race == 1")
}
# weights implied by the fpc (no weight column: svydesign takes 1 / prod(n / N) over stages),
# and R's fpc example data (nest=TRUE; it has both nh and Nh)
designs$mu284_fpc <- list(data = "mu284", design = D(psu = c("id1", "id2"), fpc = c("n1", "n2")))
designs$fpc_nest <- list(data = "fpc", design = D("weight", strata = "stratid", psu = "psuid",
                                                    nest = TRUE))
designs$fpc_nest_Nh <- list(data = "fpc", design = D(strata = "stratid", psu = "psuid",
                                                       fpc = "Nh", nest = TRUE))
designs$fpc_nest_nh <- list(data = "fpc", design = D("weight", strata = "stratid", psu = "psuid",
                                                       fpc = "Nh", nest = TRUE))
for (dn in c("mu284_fpc", "fpc_nest", "fpc_nest_Nh", "fpc_nest_nh")) {
  v <- if (startsWith(dn, "mu")) "y1" else "x"
  g <- if (startsWith(dn, "mu")) "g" else "stratid"
  add(paste0(dn, "-mean"), dn, stat = "mean", variable = v)
  add(paste0(dn, "-total"), dn, stat = "total", variable = v)
  add(paste0(dn, "-total-by"), dn, stat = "total", variable = v, by = g)
  add(paste0(dn, "-ratio"), dn, stat = "ratio", variable = v,
      denominator = if (startsWith(dn, "mu")) "n2" else "nh")
  add(paste0(dn, "-quantile"), dn, stat = "quantile", variable = v, probs = c(0.5),
      qrule = "hf7", interval_type = "mean")
}
# every level of a categorical variable in one call (svymean(~factor(x))), declared levels
# with no rows kept (share 0), and domains of declared levels with no rows (svyby with
# drop.empty.groups = FALSE: NA)
# (strat: shares of awards, since shares of its strata have SE 0 and only rounding noise)
for (dn in c("clus1", "strat", "clus2_fpc", "nhanes", "clus1_jk1")) {
  v <- if (dn == "nhanes") "agecat" else if (dn == "strat") "awards" else "stype"
  add(paste0(dn, "-shares"), dn, stat = "shares", variable = v)
}
add("clus1-shares-declared", "clus1", stat = "shares", variable = "stype",
    declared = list("E", "H", "M", "X"))
add("clus1-mean-by-declared", "clus1", stat = "mean", variable = "api00", by = "stype",
    by_declared = list("E", "H", "M", "X"))
add("strat-total-by-declared", "strat", stat = "total", variable = "enroll", by = "stype",
    by_declared = list("E", "H", "M", "X"), na_rm = TRUE)
add("clus1_jk1-mean-by-declared", "clus1_jk1", stat = "mean", variable = "api00", by = "stype",
    by_declared = list("E", "H", "M", "X"))
# score (Francisco-Fuller) quantile intervals, math and hf7 rules, whole sample and domains
# (R's uniroot stops on mu284 and the fpc data: too few rows for a sign change on the search
# interval; we then give no limit)
for (dn in c("srs_fpc", "strat", "clus1_fpc", "clus2_fpc", "clus1")) {
  for (qr in c("math", "hf7")) {
    add(paste0(dn, "-quantile-score-", qr), dn, stat = "quantile", variable = "api00",
        probs = c(0.25, 0.5, 0.9), qrule = qr, interval_type = "score")
  }
  add(paste0(dn, "-quantile-score-by"), dn, stat = "quantile", variable = "api00",
      probs = c(0.5), qrule = "math", interval_type = "score", by = "stype")
}
add("strat-quantile-score-where", "strat", stat = "quantile", variable = "api00",
    probs = c(0.5), qrule = "hf7", interval_type = "score", where = "awards = 'Yes'",
    where_r = "awards == 'Yes'")
# subbootstrap (Rao-Wu n_h - 1) replicate weights made by R, as a named type (default scale)
designs$subboot_cols <- list(data = "apistrat_subboot", design = list(weights = "pw",
  replicate = list(type = "subbootstrap", columns = paste0("rep", 1:50))))
add("subboot_cols-mean", "subboot_cols", stat = "mean", variable = "api00")
add("subboot_cols-total-by", "subboot_cols", stat = "total", variable = "enroll", by = "stype",
    na_rm = TRUE)
add("subboot_cols-ratio", "subboot_cols", stat = "ratio", variable = "api00", denominator = "api99")
add("subboot_cols-prop-beta", "subboot_cols", stat = "proportion", variable = "sw", method = "beta")
add("subboot_cols-quantile", "subboot_cols", stat = "quantile", variable = "api00",
    probs = c(0.25, 0.5), qrule = "hf7", interval_type = "mean")
res <- lapply(cases, function(cs) tryCatch(run_case(cs), error = function(e) stop(cs$id, ": ", conditionMessage(e))))
meta <- list(r_version = R.version.string, survey_version = as.character(packageVersion("survey")),
             command = "Rscript tests/survey/golden/parity.R tests/survey/golden/data tests/survey/golden/parity.json")
writeLines(toJSON(list(meta = meta, cases = res), auto_unbox = TRUE, digits = NA, null = "null",
                  na = "null", pretty = TRUE), out)
cat("wrote", length(res), "cases to", out, "\n")
