# Export R survey's api, nhanes, mu284 and fpc data as small CSV fixtures for the survey-engine tests.
#
# Command:   Rscript tests/survey/golden/export_data.R tests/survey/golden/data
# Produced with R survey 4.1.1 (Debian r-cran-survey). The data are GPL, from R's survey
# package (California API 1999-2000 and NHANES extract); used as test fixtures only.
#
# Derived columns (so R and Python estimate the same 0/1 variables without formulas):
#   sw = sch.wide == "Yes", comp = comp.imp == "Yes", hi = api00 > 700,
#   lstr = dnum %% 7 (apiclus1: strata with lonely PSUs, 5 and 6).
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args)) args[1] else "tests/survey/golden/data"
dir.create(out, showWarnings = FALSE, recursive = TRUE)
data(api)
data(nhanes)
keep <- c("cds", "stype", "snum", "dnum", "cnum", "api00", "api99", "target", "growth",
          "sch.wide", "comp.imp", "both", "awards", "meals", "ell", "enroll", "api.stu",
          "full", "emer", "pw", "fpc", "fpc1", "fpc2")
prep <- function(d) {
  d <- d[, intersect(keep, names(d))]
  d$sw <- as.numeric(d$sch.wide == "Yes")
  d$comp <- as.numeric(d$comp.imp == "Yes")
  d$hi <- as.numeric(d$api00 > 700)
  d$lstr <- d$dnum %% 7
  d
}
write.csv(prep(apisrs), file.path(out, "apisrs.csv"), row.names = FALSE, na = "")
write.csv(prep(apistrat), file.path(out, "apistrat.csv"), row.names = FALSE, na = "")
write.csv(prep(apiclus1), file.path(out, "apiclus1.csv"), row.names = FALSE, na = "")
write.csv(prep(apiclus2), file.path(out, "apiclus2.csv"), row.names = FALSE, na = "")
nh <- nhanes
nh$agecat <- as.character(nh$agecat)
write.csv(nh, file.path(out, "nhanes.csv"), row.names = FALSE, na = "")
# Replicate weights made by R, for the tests of user-supplied replicate designs:
#   apistrat_boot.csv: apistrat + 50 Rao-Wu bootstrap replicate weights (combined), seed 20251127
#   apiclus1_jk1.csv:  apiclus1 + 15 JK1 replicate weights (combined)
set.seed(20251127)
dstrat <- svydesign(id = ~1, strata = ~stype, weights = ~pw, data = apistrat)
boot <- as.svrepdesign(dstrat, type = "bootstrap", replicates = 50, compress = FALSE)
rw <- unclass(weights(boot, "analysis"))
colnames(rw) <- paste0("rep", seq_len(ncol(rw)))
write.csv(cbind(prep(apistrat), rw), file.path(out, "apistrat_boot.csv"), row.names = FALSE, na = "")
dclus1 <- svydesign(id = ~dnum, weights = ~pw, data = apiclus1)
jk <- as.svrepdesign(dclus1, type = "JK1", compress = FALSE)
rw <- unclass(weights(jk, "analysis"))
colnames(rw) <- paste0("rep", seq_len(ncol(rw)))
write.csv(cbind(prep(apiclus1), rw), file.path(out, "apiclus1_jk1.csv"), row.names = FALSE, na = "")
#   apistrat_subboot.csv: apistrat + 50 Rao-Wu (n_h - 1) subbootstrap replicate weights
set.seed(20251205)
sub <- as.svrepdesign(dstrat, type = "subbootstrap", replicates = 50, compress = FALSE)
rw <- unclass(weights(sub, "analysis"))
colnames(rw) <- paste0("rep", seq_len(ncol(rw)))
write.csv(cbind(prep(apistrat), rw), file.path(out, "apistrat_subboot.csv"), row.names = FALSE,
          na = "")
cat(sprintf("subbootstrap scale %.17g\n", sub$scale))
# Multistage designs whose weights come from the fpc (no weight column), and R's fpc example
# data (it holds both nh and Nh: columns that differ only by case)
data(mu284)
mu <- mu284
mu$g <- mu$id1 %% 3
write.csv(mu, file.path(out, "mu284.csv"), row.names = FALSE, na = "")
data(fpc)
write.csv(fpc, file.path(out, "fpc.csv"), row.names = FALSE, na = "")
cat(sprintf("bootstrap scale %.17g; JK1 scale %.17g\n", boot$scale, jk$scale))
