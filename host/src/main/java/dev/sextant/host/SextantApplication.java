package dev.sextant.host;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
public class SextantApplication {
    public static void main(String[] args) {
        SpringApplication.run(SextantApplication.class, args);
    }
}
